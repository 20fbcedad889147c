// faultline list: scenarios, protocols and their options, fault kinds, checkers.
#include "cli/common.h"

#include "runner/catalog.h"
#include "sim/faults/fault_kind.h"
#include "sim/faults/nemesis.h"

#include <algorithm>
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
    bool scenarios_given = false;  // --scenarios named a folder: it must be one
    bool json = false;
};

// "node*, duration_ms*, until_ms": a kind's keys, required ones starred.
std::string fault_keys(const faults::FaultKind& k) {
    std::string out;
    for (const auto& f : k.fields) out += fmt::format("{}{}{}", out.empty() ? "" : ", ", f.key, f.required ? "*" : "");
    if (!k.until.empty()) out += fmt::format("{}until_ms", out.empty() ? "" : ", ");
    return out.empty() ? "only at_ms" : out;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "-" : out;
}

// The [expect] keys a checker or protocol contributes: "linearizable", "lost_writes_min/max".
std::vector<std::string> expect_keys(const std::vector<scenario::VerdictSpec>& verdicts,
                                     const std::vector<scenario::FigureSpec>& figures) {
    std::vector<std::string> out;
    for (const auto& v : verdicts) out.push_back(v.expect_key);
    for (const auto& f : figures) {
        if (!f.min_key.empty()) out.push_back(f.min_key);
        if (!f.max_key.empty()) out.push_back(f.max_key);
    }
    return out;
}

nlohmann::ordered_json protocol_json(const scenario::ProtocolSpec& p) {
    nlohmann::ordered_json pj{{"name", p.name}, {"description", p.description}, {"cap", scenario::to_string(p.cap)},
                              {"operations", p.operations}, {"invariants", p.invariants}, {"roles", p.roles}};
    auto& opts = pj["options"] = nlohmann::ordered_json::array();
    for (const auto& o : p.options)
        opts.push_back({{"name", o.name}, {"type", scenario::to_string(o.type)}, {"default", value_text(o.default_value)},
                        {"description", o.description}});
    auto& figs = pj["figures"] = nlohmann::ordered_json::array();
    for (const auto& f : p.figures) figs.push_back({{"name", f.name}, {"description", f.description}});
    pj["expect_keys"] = expect_keys({}, p.figures);
    auto& sites = pj["buggify_sites"] = nlohmann::ordered_json::array();
    for (const auto& b : p.buggify_sites) sites.push_back({{"name", b.name}, {"what", b.what}});
    return pj;
}

nlohmann::ordered_json checker_json(const scenario::CheckerSpec& c) {
    nlohmann::ordered_json cj{{"checker", c.name}, {"description", c.description}, {"reads", c.reads}};
    auto& verdicts = cj["verdicts"] = nlohmann::ordered_json::array();
    for (const auto& v : c.verdicts) verdicts.push_back(v.name);
    auto& figs = cj["figures"] = nlohmann::ordered_json::array();
    for (const auto& f : c.figures) figs.push_back({{"name", f.name}, {"description", f.description}});
    cj["expect_keys"] = expect_keys(c.verdicts, c.figures);
    return cj;
}

void print_protocols(const scenario::Catalog& catalog) {
    std::cout << "\nprotocols:\n";
    for (const auto& p : catalog.protocols) {
        std::cout << fmt::format("  {:<16} {} ({})\n", p.name, p.description, scenario::to_string(p.cap));
        std::cout << fmt::format("      serves {}; invariants {}; roles {}\n", joined(p.operations), joined(p.invariants),
                                 joined(p.roles));
        if (!p.figures.empty()) std::cout << fmt::format("      [expect] keys of its own: {}\n", joined(expect_keys({}, p.figures)));
        for (const auto& o : p.options)
            std::cout << fmt::format("      {:<26} {:<8} default {:<10} {}\n", o.name, scenario::to_string(o.type),
                                     value_text(o.default_value), o.description);
        if (!p.buggify_sites.empty()) std::cout << "      buggify sites ([buggify] sites):\n";
        std::size_t width = 32;  // the column fits the protocol's longest site name
        for (const auto& b : p.buggify_sites) width = std::max(width, b.name.size());
        for (const auto& b : p.buggify_sites) std::cout << fmt::format("        {:<{}} {}\n", b.name, width, b.what);
    }
}

void print_checkers(const scenario::Catalog& catalog) {
    std::cout << "\ncheckers:\n";
    for (const auto& c : catalog.checkers) {
        std::cout << fmt::format("  {:<16} {} (reads {})\n", c.name, c.description, c.reads);
        std::cout << fmt::format("      [expect] keys: {}\n", joined(expect_keys(c.verdicts, c.figures)));
        for (const auto& o : c.options)
            std::cout << fmt::format("      {:<26} {:<8} default {:<10} {}\n", o.name, scenario::to_string(o.type),
                                     value_text(o.default_value), o.description);
    }
}

int do_list(const ListArgs& a) {
    std::set<std::string> files;
    namespace fs = std::filesystem;
    // The default folder may be absent (faultline run from elsewhere); a folder the user named
    // must exist, or a typo would list nothing and exit 0.
    if (a.scenarios_given && !fs::is_directory(a.scenarios_dir)) {
        std::cerr << fmt::format("faultline: list --scenarios {}: {}\n", a.scenarios_dir,
                                 fs::exists(a.scenarios_dir) ? "is not a folder" : "no such folder");
        return exit_input;
    }
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
        for (const auto& p : runner::catalog().protocols) ps.push_back(protocol_json(p));
        auto& fk = j["fault_kinds"] = nlohmann::ordered_json::array();
        for (const auto& k : faults::fault_kinds()) {
            nlohmann::ordered_json kj{{"kind", k.name}, {"description", k.summary}};
            auto& fields = kj["fields"] = nlohmann::ordered_json::array();
            for (const auto& f : k.fields) fields.push_back({{"key", f.key}, {"required", f.required}, {"meaning", f.meaning}});
            if (!k.until.empty()) kj["until_ms"] = k.until;
            fk.push_back(kj);
        }
        auto& nf = j["nemesis_kinds"] = nlohmann::ordered_json::array();
        for (const auto& n : faults::nemesis_families()) nf.push_back({{"kind", n.name}, {"description", n.summary}});
        auto& ck = j["checkers"] = nlohmann::ordered_json::array();
        for (const auto& c : runner::catalog().checkers) ck.push_back(checker_json(c));
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "scenarios (" << a.scenarios_dir << "/):\n";
    if (files.empty()) std::cout << "  (none found; run from the repository's top folder or pass --scenarios DIR)\n";
    for (const auto& f : files) std::cout << "  " << f << "\n";
    print_protocols(runner::catalog());
    std::cout << "\nfault kinds:\n";
    for (const auto& k : faults::fault_kinds()) {
        std::cout << fmt::format("  {:<14} {}\n", k.name, k.summary);
        std::cout << fmt::format("  {:<14}   keys: {}{}\n", "", fault_keys(k),
                                 k.until.empty() ? "" : fmt::format(" (until_ms: {})", k.until));
    }
    std::cout << "\nnemesis kinds ([nemesis] kinds):\n";
    for (const auto& n : faults::nemesis_families()) std::cout << fmt::format("  {:<14} {}\n", n.name, n.summary);
    print_checkers(runner::catalog());
    return exit_ok;
}

}  // namespace

Command add_list_command(CLI::App& app) {
    auto a = std::make_shared<ListArgs>();
    auto* c = app.add_subcommand("list", "List scenarios, protocols and their options, fault kinds and checkers");
    c->add_option("--scenarios", a->scenarios_dir, "Folder to look for scenarios in")->each([a](const std::string&) {
        a->scenarios_given = true;
    });
    c->add_flag("--json", a->json, "Print as JSON");
    return {c, [a] { return do_list(*a); }};
}

}  // namespace faultline::cli
