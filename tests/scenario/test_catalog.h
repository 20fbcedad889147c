// A catalog for the scenario parser's tests: protocols "raft" and "dynamo" with options of every
// type (integer, real, boolean, string with choices) and ranges, so that every option check has
// something to bite on, figures and invariants of their own; and the real checkers' specs
// (runner/checkers/), whose verdicts and figures make the [expect] keys. Data only, like the real
// catalog (runner/catalog.h).
#pragma once

#include "runner/catalog.h"
#include "scenario/catalog.h"

namespace faultline::scenario::test {

inline Catalog test_catalog() {
    Catalog catalog;
    catalog.checkers = runner::catalog().checkers;
    catalog.protocols.push_back(ProtocolSpec{
        .name = "raft",
        .description = "Raft consensus (Ongaro and Ousterhout 2014)",
        .cap = CapClass::cp,
        .options = {
            {.name = "heartbeat_ms", .type = OptionType::integer, .default_value = int64_t{50},
             .description = "leader heartbeat interval", .choices = {}, .min = 1, .max = 10'000},
            {.name = "election_timeout_ms", .type = OptionType::real, .default_value = 150.0,
             .description = "base election timeout", .choices = {}, .min = 1, .max = 100'000},
            {.name = "pre_vote", .type = OptionType::boolean, .default_value = false,
             .description = "pre-vote phase (thesis 9.6)", .choices = {}},
            {.name = "read_mode", .type = OptionType::string, .default_value = std::string("log"),
             .description = "how reads are served", .choices = {"log", "read_index", "lease"}},
        },
        .check_options = {},
        .operations = {"get", "put", "append", "cas"},
        .figures = {figure("minority_ok_writes", "writes acknowledged on the minority side")},
        .invariants = {"election_safety", "log_matching"},
        .roles = {"leader", "follower"},
        .buggify_sites = {{"raft.crash_after_vote", "a voter crashes after voting"}},
    });
    catalog.protocols.push_back(ProtocolSpec{
        .name = "dynamo",
        .description = "Dynamo-style replicated store with sloppy quorums",
        .cap = CapClass::ap,
        .options = {
            {.name = "replicas", .type = OptionType::integer, .default_value = int64_t{3},
             .description = "N", .choices = {}, .min = 1, .max = 9},
            {.name = "read_quorum", .type = OptionType::integer, .default_value = int64_t{2},
             .description = "R", .choices = {}, .min = 1, .max = 9},
            {.name = "write_quorum", .type = OptionType::integer, .default_value = int64_t{2},
             .description = "W", .choices = {}, .min = 1, .max = 9},
            {.name = "sloppy_quorum", .type = OptionType::boolean, .default_value = false,
             .description = "accept writes on any reachable nodes", .choices = {}},
        },
        .check_options = {},
        .operations = {"get", "put", "append", "cas"},
        .figures = {figure("minority_ok_writes", "writes acknowledged on the minority side"),
                    figure("concurrent_versions", "keys holding sibling versions at the end")},
    });
    return catalog;
}

}  // namespace faultline::scenario::test
