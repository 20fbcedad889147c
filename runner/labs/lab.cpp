#include "runner/labs/lab.h"

#include "scenario/toml_depth.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#ifndef FAULTLINE_SOURCE_ROOT
#define FAULTLINE_SOURCE_ROOT ""
#endif

namespace faultline::runner::labs {

namespace fs = std::filesystem;

namespace {

// A lab.toml is a page of text; anything far larger is not one.
constexpr std::uintmax_t file_bytes_max = 256 * 1024;
constexpr uint64_t seeds_max = 100'000;
constexpr int points_max = 1'000;

class Reader {
public:
    Reader(std::string file, LabErrors& errors) : file_(std::move(file)), errors_(errors) {}

    void error(const toml::node* at, std::string key, std::string message) {
        int line = 0, column = 0;
        if (at) {
            line = static_cast<int>(at->source().begin.line);
            column = static_cast<int>(at->source().begin.column);
        }
        errors_.push_back({file_, line, column, std::move(key), std::move(message)});
    }

    // Every key of `table` must be one of `known`.
    void only(const toml::table& table, const std::string& prefix, std::initializer_list<std::string_view> known) {
        for (const auto& [k, v] : table) {
            if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
            std::string list;
            for (auto name : known) list += (list.empty() ? "" : ", ") + std::string(name);
            error(&v, prefix + std::string(k.str()), fmt::format("unknown key (known: {})", list));
        }
    }

    std::string text(const toml::table& t, const std::string& prefix, std::string_view key, bool required) {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required) error(&t, prefix + std::string(key), "missing (a string)");
            return {};
        }
        if (!n->is_string()) {
            error(n, prefix + std::string(key), "must be a string");
            return {};
        }
        return n->as_string()->get();
    }

    int64_t integer(const toml::table& t, const std::string& prefix, std::string_view key, int64_t fallback,
                    int64_t min, int64_t max) {
        const toml::node* n = t.get(key);
        if (!n) return fallback;
        if (!n->is_integer()) {
            error(n, prefix + std::string(key), fmt::format("must be an integer from {} to {}", min, max));
            return fallback;
        }
        const int64_t v = n->as_integer()->get();
        if (v < min || v > max) {
            error(n, prefix + std::string(key), fmt::format("must be from {} to {} (got {})", min, max, v));
            return fallback;
        }
        return v;
    }

    const std::string& file() const { return file_; }

private:
    std::string file_;
    LabErrors& errors_;
};

bool is_name(const std::string& s) {
    return !s.empty() && s.size() <= 64 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// The number at the front of a lab folder's name: "02" of "02-exactly-once".
std::string number_of(const std::string& id) {
    std::size_t n = 0;
    while (n < id.size() && id[n] >= '0' && id[n] <= '9') ++n;
    return id.substr(0, n);
}

void read_lab_table(Reader& r, const toml::table& root, Lab& lab) {
    const toml::node* node = root.get("lab");
    if (!node || !node->is_table()) {
        r.error(node ? node : &root, "lab", "a [lab] table is required (title, protocol, chapter, edit)");
        return;
    }
    const toml::table& t = *node->as_table();
    r.only(t, "lab.", {"title", "protocol", "chapter", "edit"});
    lab.title = r.text(t, "lab.", "title", true);
    lab.protocol = r.text(t, "lab.", "protocol", true);
    lab.chapter = r.text(t, "lab.", "chapter", false);
    if (!lab.protocol.empty() && !is_name(lab.protocol))
        r.error(t.get("protocol"), "lab.protocol", "must be a protocol name (lower case letters, digits and _)");
    if (const toml::node* e = t.get("edit")) {
        const toml::array* list = e->as_array();
        if (!list) r.error(e, "lab.edit", "must be a list of file names");
        else
            for (const auto& item : *list) {
                if (!item.is_string()) r.error(&item, "lab.edit", "must be a list of file names");
                else lab.edit.push_back(item.as_string()->get());
            }
    }
}

void read_checks(Reader& r, const toml::table& root, Lab& lab) {
    const toml::node* node = root.get("check");
    const toml::array* list = node ? node->as_array() : nullptr;
    if (!list || list->empty() || !list->is_array_of_tables()) {
        r.error(node ? node : &root, "check", "at least one [[check]] is required");
        return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::table& t = *list->get(i)->as_table();
        const std::string prefix = fmt::format("check[{}].", i + 1);
        r.only(t, prefix, {"name", "part", "points", "scenario", "seeds", "what", "hint"});
        LabCheck c;
        c.name = r.text(t, prefix, "name", true);
        c.part = static_cast<int>(r.integer(t, prefix, "part", 1, 1, 20));
        c.points = static_cast<int>(r.integer(t, prefix, "points", 0, 0, points_max));
        c.scenario = r.text(t, prefix, "scenario", true);
        c.seeds = static_cast<uint64_t>(r.integer(t, prefix, "seeds", 10, 1, seeds_max));
        c.what = r.text(t, prefix, "what", true);
        c.hint = r.text(t, prefix, "hint", false);
        if (!c.name.empty() && !is_name(c.name))
            r.error(t.get("name"), prefix + "name", "must be lower case letters, digits and _");
        if (!c.name.empty() && !names.insert(c.name).second)
            r.error(t.get("name"), prefix + "name", fmt::format("'{}' names another check already", c.name));
        if (!c.scenario.empty() && !fs::is_regular_file(lab.folder / c.scenario))
            r.error(t.get("scenario"), prefix + "scenario", fmt::format("no such file: {}", (lab.folder / c.scenario).string()));
        lab.checks.push_back(std::move(c));
    }
}

void read_mistakes(Reader& r, const toml::table& root, Lab& lab) {
    const toml::node* node = root.get("mistake");
    if (!node) return;
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables()) {
        r.error(node, "mistake", "must be [[mistake]] tables");
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::table& t = *list->get(i)->as_table();
        const std::string prefix = fmt::format("mistake[{}].", i + 1);
        r.only(t, prefix, {"name", "fails", "what"});
        LabMistake m;
        m.name = r.text(t, prefix, "name", true);
        m.fails = r.text(t, prefix, "fails", true);
        m.what = r.text(t, prefix, "what", true);
        if (!m.fails.empty() && !lab.check(m.fails))
            r.error(t.get("fails"), prefix + "fails", fmt::format("'{}' is not a check of this lab", m.fails));
        lab.mistakes.push_back(std::move(m));
    }
}

}  // namespace

int Lab::points() const {
    int sum = 0;
    for (const auto& c : checks) sum += c.points;
    return sum;
}

int Lab::parts() const {
    int most = 0;
    for (const auto& c : checks) most = std::max(most, c.part);
    return most;
}

const LabCheck* Lab::check(const std::string& name) const {
    for (const auto& c : checks)
        if (c.name == name) return &c;
    return nullptr;
}

std::variant<Lab, LabErrors> load_lab(const fs::path& folder) {
    const fs::path file = folder / "lab.toml";
    LabErrors errors;
    Reader r(file.string(), errors);
    std::error_code ec;
    const auto bytes = fs::file_size(file, ec);
    if (ec || !fs::is_regular_file(file)) {
        r.error(nullptr, "", "cannot read the lab's grader file (is this a lab folder?)");
        return errors;
    }
    if (bytes > file_bytes_max) {
        r.error(nullptr, "", fmt::format("{} bytes: too large for a lab file (at most {})", bytes, file_bytes_max));
        return errors;
    }
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    // toml++ recurses per nesting level and key part: a hostile file could exhaust the stack.
    if (auto deep = scenario::find_too_deep(text.str())) {
        errors.push_back({file.string(), deep->line, deep->column, "", deep->message});
        return errors;
    }
    toml::table root;
    try {
        root = toml::parse(text.str(), file.string());
    } catch (const toml::parse_error& e) {
        errors.push_back({file.string(), static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                          "", std::string(e.description())});
        return errors;
    }
    Lab lab;
    lab.folder = folder;
    lab.id = folder.filename().string();
    lab.number = number_of(lab.id);
    r.only(root, "", {"lab", "check", "mistake"});
    read_lab_table(r, root, lab);
    read_checks(r, root, lab);
    read_mistakes(r, root, lab);
    if (!errors.empty()) return errors;
    return lab;
}

fs::path labs_root(const std::string& dir) {
    if (!dir.empty()) return fs::is_directory(dir) ? fs::path(dir) : fs::path();
    if (fs::is_directory("labs")) return "labs";
    const fs::path built_from = fs::path(FAULTLINE_SOURCE_ROOT) / "labs";
    if (!std::string(FAULTLINE_SOURCE_ROOT).empty() && fs::is_directory(built_from)) return built_from;
    return {};
}

LabList list_labs(const fs::path& root) {
    LabList out;
    std::vector<fs::path> folders;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec))
        if (entry.is_directory() && fs::exists(entry.path() / "lab.toml")) folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    for (const auto& folder : folders) {
        auto loaded = load_lab(folder);
        if (auto* lab = std::get_if<Lab>(&loaded)) out.labs.push_back(std::move(*lab));
        else {
            auto& errs = std::get<LabErrors>(loaded);
            out.errors.insert(out.errors.end(), errs.begin(), errs.end());
        }
    }
    return out;
}

std::optional<Lab> find_lab(const LabList& labs, const std::string& name) {
    std::vector<const Lab*> hits;
    const std::string digits = number_of(name) == name && !name.empty() ? name : "";
    for (const auto& lab : labs.labs) {
        const std::string suffix = lab.id.substr(std::min(lab.id.size(), lab.number.size() + 1));
        bool same_number = !digits.empty() && !lab.number.empty() &&
                           std::stoull("0" + digits.substr(0, 18)) == std::stoull("0" + lab.number.substr(0, 18));
        if (lab.id == name || suffix == name || same_number) hits.push_back(&lab);
    }
    if (hits.size() != 1) return std::nullopt;
    return *hits.front();
}

}  // namespace faultline::runner::labs
