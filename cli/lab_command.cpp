// faultline lab list | show LAB | grade LAB | status: the teaching labs (labs/, runner/labs/).
#include "cli/common.h"

#include "runner/labs/grade.h"
#include "runner/labs/lab.h"
#include "runner/command_line.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace faultline::cli {

namespace {

namespace labs = runner::labs;

struct LabArgs {
    std::string labs_dir;
    std::string lab;
    std::string db = default_db;
    bool json = false;
    // grade
    uint64_t seeds = 0;
    std::string first_seed;
    bool hidden = false;
    int part = 0;
    std::string protocol;
    std::vector<std::string> set;
    unsigned jobs = 0;
    std::string gradescope;
    bool no_store = false;
};

std::optional<labs::LabList> all_labs(const LabArgs& a) {
    const auto root = labs::labs_root(a.labs_dir);
    if (root.empty()) {
        std::fprintf(stderr, "faultline: no labs folder %s(run from the top of a Faultline checkout, or give --labs DIR)\n",
                     a.labs_dir.empty() ? "" : (a.labs_dir + " ").c_str());
        return std::nullopt;
    }
    labs::LabList list = labs::list_labs(root);
    if (!list.errors.empty()) std::fputs(scenario::format_errors(list.errors).c_str(), stderr);
    return list;
}

std::optional<labs::Lab> one_lab(const LabArgs& a) {
    auto list = all_labs(a);
    if (!list) return std::nullopt;
    auto lab = labs::find_lab(*list, a.lab);
    if (!lab) {
        std::string known;
        for (const auto& l : list->labs) known += (known.empty() ? "" : ", ") + l.id;
        std::fprintf(stderr, "faultline: no lab '%s' (labs: %s; `faultline lab list` shows them)\n", a.lab.c_str(),
                     known.empty() ? "none" : known.c_str());
    }
    return lab;
}

std::string db_flag(const LabArgs& a) { return a.db == default_db ? "" : " --db " + a.db; }

int do_list(const LabArgs& a) {
    auto list = all_labs(a);
    if (!list) return exit_input;
    if (a.json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto& l : list->labs) {
            nlohmann::ordered_json x;
            x["id"] = l.id;
            x["number"] = l.number;
            x["title"] = l.title;
            x["protocol"] = l.protocol;
            x["chapter"] = l.chapter;
            x["parts"] = l.parts();
            x["points"] = l.points();
            x["edit"] = l.edit;
            auto& checks = x["checks"] = nlohmann::ordered_json::array();
            for (const auto& c : l.checks)
                checks.push_back({{"name", c.name}, {"part", c.part}, {"points", c.points}, {"seeds", c.seeds}, {"what", c.what}});
            out.push_back(std::move(x));
        }
        std::cout << out.dump(2) << "\n";
    } else {
        std::cout << fmt::format("  {:<24} {:<46} {:>5} {:>6}  {}\n", "lab", "title", "parts", "points", "protocol");
        for (const auto& l : list->labs)
            std::cout << fmt::format("  {:<24} {:<46} {:>5} {:>6}  {}\n", l.id, l.title, l.parts(), l.points(), l.protocol);
        std::cout << "\n  the handout: faultline lab show LAB    grade it: faultline lab grade LAB\n";
    }
    return list->errors.empty() ? exit_ok : exit_input;
}

int do_show(const LabArgs& a) {
    auto lab = one_lab(a);
    if (!lab) return exit_input;
    std::ifstream in(lab->handout());
    if (!in) {
        std::fprintf(stderr, "faultline: cannot read %s\n", lab->handout().string().c_str());
        return exit_input;
    }
    std::cout << in.rdbuf();
    return exit_ok;
}

int do_grade(const LabArgs& a) {
    auto lab = one_lab(a);
    if (!lab) return exit_input;
    labs::GradeOptions o;
    o.seeds = a.seeds;
    o.part = a.part;
    o.protocol = a.protocol;
    o.jobs = a.jobs;
    if (!a.first_seed.empty()) {
        const auto first = runner::parse_whole_number(a.first_seed);
        if (!first) {
            std::fprintf(stderr, "faultline: --first-seed takes a seed, a whole number from 0 to 2^64-1 (got '%s')\n",
                         a.first_seed.c_str());
            return exit_input;
        }
        o.first_seed = *first;
    } else if (a.hidden) {
        // Drawn outside any run: which seeds are graded, never what a seed does.
        std::random_device device;
        o.first_seed = (static_cast<uint64_t>(device()) << 20 | device() % (1u << 20)) + 1'000'000;
        o.hidden = true;
    }
    if (a.hidden && !a.first_seed.empty()) o.hidden = true;
    for (const auto& kv : a.set) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::fprintf(stderr, "faultline: --set takes OPTION=VALUE (got '%s')\n", kv.c_str());
            return exit_input;
        }
        o.set.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    std::ofstream gradescope;
    if (!a.gradescope.empty()) {
        gradescope.open(a.gradescope);
        if (!gradescope) {
            std::fprintf(stderr, "faultline: cannot write %s\n", a.gradescope.c_str());
            return exit_input;
        }
    }
    std::optional<store::RunStore> db;
    if (!a.no_store) {
        db = open_store(a.db);
        if (!db) return exit_input;
    }
    uint64_t total = 0;
    for (const auto& c : lab->checks)
        if (a.part == 0 || c.part == a.part) total += a.seeds != 0 ? a.seeds : c.seeds;
    Progress progress(fmt::format("grading {}", lab->id), total);
    uint64_t failing = 0;
    o.on_progress = [&](uint64_t done, uint64_t, uint64_t failed) {
        failing = failed;
        progress.update(done, failed);
    };
    auto graded = labs::grade_lab(*lab, o);
    if (auto* err = std::get_if<std::string>(&graded)) {
        std::fprintf(stderr, "faultline: %s\n", err->c_str());
        return exit_input;
    }
    progress.finish(total, failing);
    auto& report = std::get<labs::GradeReport>(graded);
    if (db) {
        const std::string err = labs::store_grading(report, *lab, o, *db);
        if (!err.empty()) {
            std::fprintf(stderr, "faultline: the grading could not be stored in %s: %s\n", a.db.c_str(), err.c_str());
            return exit_internal;
        }
    }
    if (a.json) std::cout << labs::grade_json(report).dump(2) << "\n";
    else std::cout << labs::grade_text(report, db_flag(a));
    if (gradescope.is_open()) gradescope << labs::gradescope_json(report, db_flag(a)).dump(2) << "\n";
    if (report.load_errors()) return exit_input;
    return report.score() == report.points() ? exit_ok : exit_failed;
}

int do_status(const LabArgs& a) {
    auto list = all_labs(a);
    if (!list) return exit_input;
    // No store yet: nothing graded (and nothing created just to say so).
    store::Result<std::vector<store::LabGrade>> grades = std::vector<store::LabGrade>{};
    if (std::filesystem::exists(a.db)) {
        auto db = open_store(a.db);
        if (!db) return exit_input;
        grades = db->lab_grades();
        if (!grades.ok()) {
            std::fprintf(stderr, "faultline: %s\n", grades.error().describe().c_str());
            return exit_input;
        }
    }
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& l : list->labs) {
        nlohmann::ordered_json x;
        x["lab"] = l.id;
        x["title"] = l.title;
        x["points"] = l.points();
        x["gradings"] = 0;
        const store::LabGrade* last = nullptr;
        const store::LabGrade* best = nullptr;
        int count = 0;
        for (const auto& g : grades.value()) {
            if (g.lab != l.id) continue;
            ++count;
            if (!last) last = &g;
            // A grading of every part counts towards the best; a part's own does not.
            if (g.report.value("part", 0) == 0 && (!best || g.score > best->score)) best = &g;
        }
        x["gradings"] = count;
        if (last) x["last"] = {{"score", last->score}, {"points", last->points}, {"graded_at", last->graded_at}, {"protocol", last->protocol}};
        if (best) x["best"] = {{"score", best->score}, {"points", best->points}, {"graded_at", best->graded_at}};
        out.push_back(std::move(x));
    }
    if (a.json) {
        std::cout << out.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << fmt::format("  {:<24} {:>10} {:>10}  {:<24} {}\n", "lab", "best", "last", "last graded", "gradings");
    for (const auto& x : out) {
        auto score = [&](const char* k) {
            return x.contains(k) ? fmt::format("{}/{}", x[k]["score"].get<int>(), x[k]["points"].get<int>()) : std::string("-");
        };
        const std::string when = x.contains("last") ? x["last"]["graded_at"].get<std::string>().substr(0, 19) : "not graded yet";
        std::cout << fmt::format("  {:<24} {:>10} {:>10}  {:<24} {}\n", x["lab"].get<std::string>(), score("best"), score("last"),
                                 when, x["gradings"].get<int>());
    }
    std::cout << fmt::format("\n  kept in {}: the newest {} gradings of each lab, with the runs of their failures\n", a.db,
                             labs::kept_gradings);
    return exit_ok;
}

}  // namespace

Command add_lab_command(CLI::App& app) {
    auto a = std::make_shared<LabArgs>();
    auto* lab = app.add_subcommand("lab", "The teaching labs: list them, read a handout, grade your solution, see your progress");
    lab->require_subcommand(1);

    auto* list = lab->add_subcommand("list", "List the labs");
    list->add_flag("--json", a->json, "Print the list as JSON");

    auto* show = lab->add_subcommand("show", "Print a lab's handout (its README.md)");
    show->add_option("LAB", a->lab, "The lab: its number (2), folder (02-exactly-once) or name (exactly-once)")->required();

    auto* grade = lab->add_subcommand("grade", "Grade a lab: every check's scenario over seeds, with your protocol");
    grade->add_option("LAB", a->lab, "The lab: its number (2), folder (02-exactly-once) or name (exactly-once)")->required();
    grade->add_option("--seeds", a->seeds, "Seeds per check (default: each check's own)")->transform(whole_number(1, 100'000));
    grade->add_option("--first-seed", a->first_seed, "The first seed (default 1)");
    grade->add_flag("--hidden", a->hidden, "Draw the seeds at random (an instructor's grading); the report names the first");
    grade->add_option("--part", a->part, "Grade one part only")->transform(whole_number(1, 20));
    grade->add_option("--protocol", a->protocol, "Grade this registered protocol instead of the lab's (e.g. a reference)");
    grade->add_option("--set", a->set, "Set a protocol option in every graded system: OPTION=VALUE (repeatable)");
    grade->add_option("--jobs", a->jobs, "Worker threads (default: the number of cores)")->transform(whole_number(1, runner::jobs_max));
    grade->add_option("--gradescope", a->gradescope, "Also write Gradescope's autograder results.json here");
    grade->add_option("--db", a->db, "Run store for the failing runs and the grading (default faultline.db)");
    grade->add_flag("--no-store", a->no_store, "Store nothing (the report names no runs to replay)");
    grade->add_flag("--json", a->json, "Print the grading as JSON");

    auto* status = lab->add_subcommand("status", "Your progress over every lab (from the gradings in the run store)");
    status->add_option("--db", a->db, "Run store (default faultline.db)");
    status->add_flag("--json", a->json, "Print the progress as JSON");

    for (auto* sub : {list, show, grade, status})
        sub->add_option("--labs", a->labs_dir, "The labs folder (default: ./labs, else the one this build came from)");
    return {lab, [a, list, show, grade, status] {
                if (list->parsed()) return do_list(*a);
                if (show->parsed()) return do_show(*a);
                if (grade->parsed()) return do_grade(*a);
                if (status->parsed()) return do_status(*a);
                return exit_input;
            }};
}

}  // namespace faultline::cli
