#include "cli/common.h"

#include "runner/catalog.h"
#include "runner/command_line.h"
#include "runner/record.h"
#include "scenario/scenario_parser.h"

#include <fmt/format.h>

#include <cstdio>
#include <unistd.h>

namespace faultline::cli {

std::optional<scenario::Scenario> load_scenario(const std::string& path) {
    auto parsed = scenario::parse_scenario_file(path, runner::catalog());
    if (!parsed.errors.empty() || !parsed.scenario) {
        std::fputs(scenario::format_errors(parsed.errors).c_str(), stderr);
        std::fprintf(stderr, "faultline: %s is not a valid scenario; nothing was run\n", path.c_str());
        return std::nullopt;
    }
    return std::move(parsed.scenario);
}

std::optional<scenario::Scenario> load_scenario_text(const std::string& text, const std::string& label) {
    auto parsed = scenario::parse_scenario_text(text, label, runner::catalog());
    if (!parsed.errors.empty() || !parsed.scenario) {
        std::fputs(scenario::format_errors(parsed.errors).c_str(), stderr);
        return std::nullopt;
    }
    return std::move(parsed.scenario);
}

std::string stored_scenario_label(const store::RunRecord& run) { return runner::stored_scenario_label(run.scenario_name); }

std::optional<store::RunStore> open_store(const std::string& path, bool read_only) {
    store::OpenOptions o;
    o.read_only = read_only;
    o.create = !read_only;
    auto s = store::RunStore::open(path, o);
    if (!s) {
        std::fprintf(stderr, "faultline: %s\n", s.error().describe().c_str());
        return std::nullopt;
    }
    return std::move(s.value());
}

CLI::Validator whole_number(uint64_t min, uint64_t max) {
    return CLI::Validator(
        [min, max](std::string& text) {
            std::string problem = runner::whole_number_problem(text, min, max);
            // Plain decimal from here on: CLI11 would read "010" as octal 8.
            if (problem.empty()) text = std::to_string(*runner::parse_whole_number(text, max));
            return problem;
        },
        fmt::format("UINT in [{}, {}]", min, max));
}

int64_t wall_ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

Progress::Progress(std::string label, uint64_t total, std::string failures_label)
    : label_(std::move(label)), total_(total), failures_label_(std::move(failures_label)), tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void Progress::update(uint64_t done, uint64_t failures) {
    auto now = std::chrono::steady_clock::now();
    if (tty_) {
        if (now - last_draw_ < std::chrono::milliseconds(100)) return;
        last_draw_ = now;
        draw(done, failures, false);
    } else {
        uint64_t decile = total_ ? done * 10 / total_ : 10;
        if (decile == last_decile_) return;
        last_decile_ = decile;
        draw(done, failures, false);
    }
}

void Progress::finish(uint64_t done, uint64_t failures) { draw(done, failures, true); }

void Progress::draw(uint64_t done, uint64_t failures, bool final) {
    double secs = std::max(1e-3, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    double rate = static_cast<double>(done) / secs;
    double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
    constexpr int width = 30;
    int filled = total_ ? static_cast<int>(width * done / total_) : width;
    std::string bar = std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-');
    const std::string counted = failures_label_.empty() ? "" : fmt::format("  {} {}", failures, failures_label_);
    std::string line =
        fmt::format("{} [{}] {}/{}  {:.1f} runs/s{}  ETA {:.0f}s", label_, bar, done, total_, rate, counted, eta);
    if (tty_) {
        std::fprintf(stderr, "\r%s\033[K%s", line.c_str(), final ? "\n" : "");
    } else {
        std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
}

namespace {

// The length of the valid UTF-8 sequence at text[i] (1 to 4), or 0 if the byte there starts none
// (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
std::size_t utf8_sequence(const std::string& text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    const unsigned char d = byte(i + 1);
    if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d > 0x9F) || (c == 0xF0 && d < 0x90) || (c == 0xF4 && d > 0x8F)) return 0;
    return n;
}

std::string escape_invalid_utf8(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_sequence(text, i);
        if (n == 0) {
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(text[i]));
            ++i;
        } else {
            out.append(text, i, n);
            i += n;
        }
    }
    return out;
}

void escape_strings(nlohmann::ordered_json& j) {
    if (j.is_string()) {
        j = escape_invalid_utf8(j.get_ref<const std::string&>());
    } else if (j.is_array()) {
        for (auto& e : j) escape_strings(e);
    } else if (j.is_object()) {
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        for (auto& [k, v] : j.items()) {
            escape_strings(v);
            out[escape_invalid_utf8(k)] = std::move(v);
        }
        j = std::move(out);
    }
}

}  // namespace

std::string json_text(nlohmann::ordered_json j, int indent) {
    escape_strings(j);
    return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace faultline::cli

