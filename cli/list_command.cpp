// faultline list: scenarios, protocols and their options, fault kinds, checkers.
#include "cli/common.h"

#include "runner/registry.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <set>

namespace faultline::cli {

namespace {

std::string value_text(const scenario::OptionValue& v) {
    return std::visit([](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) return "\"" + x + "\"";
        else if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        else return fmt::format("{}", x);
    }, v);
}

struct ListArgs {
    std::string scenarios_dir = "scenarios";
    bool json = false;
};

const std::vector<std::pair<const char*, const char*>> fault_kinds = {
    {"crash", "a node dies (volatile state, fibers, timers gone; unsynced disk writes lost); until_ms restarts it"},
    {"restart", "a crashed node comes back with only its disk"},
    {"pause", "a node processes nothing for duration_ms (GC pause, SIGSTOP), then catches up"},
    {"partition", "cut links: sides = [[..],[..]] or shape = isolate | one_way | majority_minority | bridge | majorities_ring"},
    {"heal", "restore full connectivity"},
    {"clock_jump", "a node's clock steps by jump_ms (negative: backwards)"},
    {"clock_drift", "a node's clock runs drift_ppm fast (negative: slow)"},
    {"link", "change loss, duplication, reordering or latency, on every link or from -> to"},
    {"clear_links", "remove per-link overrides"},
    {"disk", "a node's disk loses fsyncs, tears writes or corrupts blocks at crash, or syncs slowly"},
    {"corrupt_block", "damage one stored block of a node now (reads see a checksum error)"},
};

const std::vector<std::pair<const char*, const char*>> checkers = {
    {"linearizability", "the client history against a key-value model (Wing-Gong/Lowe search, per key)"},
    {"invariants", "the protocol's own safety invariants (Raft: election safety, log matching, leader completeness, state-machine safety; primary-backup: one primary per epoch, fencing)"},
    {"liveness", "after the faults, heal everything and require a completed write within within_ms"},
};

int do_list(const ListArgs& a) {
    std::set<std::string> files;
    namespace fs = std::filesystem;
    if (fs::is_directory(a.scenarios_dir)) {
        for (const auto& e : fs::recursive_directory_iterator(a.scenarios_dir)) {
            if (e.path().extension() != ".toml") continue;
            if (e.path().string().find("/malformed/") != std::string::npos) continue;
            files.insert(e.path().string());
        }
    }
    if (a.json) {
        nlohmann::ordered_json j;
        j["scenarios"] = files;
        auto& ps = j["protocols"] = nlohmann::ordered_json::array();
        for (const auto& p : runner::protocols()) {
            nlohmann::ordered_json pj{{"name", p.spec.name}, {"description", p.spec.description}};
            auto& opts = pj["options"] = nlohmann::ordered_json::array();
            for (const auto& o : p.spec.options)
                opts.push_back({{"name", o.name}, {"type", scenario::to_string(o.type)},
                                {"default", value_text(o.default_value)}, {"description", o.description}});
            ps.push_back(pj);
        }
        auto& fk = j["fault_kinds"] = nlohmann::ordered_json::array();
        for (const auto& [k, d] : fault_kinds) fk.push_back({{"kind", k}, {"description", d}});
        auto& ck = j["checkers"] = nlohmann::ordered_json::array();
        for (const auto& [k, d] : checkers) ck.push_back({{"checker", k}, {"description", d}});
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "scenarios (" << a.scenarios_dir << "/):\n";
    if (files.empty()) std::cout << "  (none found; run from the repository's top folder or pass --scenarios DIR)\n";
    for (const auto& f : files) std::cout << "  " << f << "\n";
    std::cout << "\nprotocols:\n";
    for (const auto& p : runner::protocols()) {
        std::cout << fmt::format("  {:<16} {}\n", p.spec.name, p.spec.description);
        for (const auto& o : p.spec.options)
            std::cout << fmt::format("      {:<26} {:<8} default {:<10} {}\n", o.name, scenario::to_string(o.type),
                                     value_text(o.default_value), o.description);
    }
    std::cout << "\nfault kinds:\n";
    for (const auto& [k, d] : fault_kinds) std::cout << fmt::format("  {:<14} {}\n", k, d);
    std::cout << "\ncheckers:\n";
    for (const auto& [k, d] : checkers) std::cout << fmt::format("  {:<16} {}\n", k, d);
    return exit_ok;
}

}  // namespace

Command add_list_command(CLI::App& app) {
    auto a = std::make_shared<ListArgs>();
    auto* c = app.add_subcommand("list", "List scenarios, protocols and their options, fault kinds and checkers");
    c->add_option("--scenarios", a->scenarios_dir, "Folder to look for scenarios in");
    c->add_flag("--json", a->json, "Print as JSON");
    return {c, [a] { return do_list(*a); }};
}

}  // namespace faultline::cli
