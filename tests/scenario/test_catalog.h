// A protocol catalog for the scenario parser's tests: "raft" and "dynamo" with options of every
// type (integer, real, boolean, string with choices) and ranges, so that every option check has
// something to bite on. It is data only, like the real catalog (runner/registry.h).
#pragma once

#include "scenario/catalog.h"

namespace faultline::scenario::test {

inline ProtocolCatalog test_catalog() {
    ProtocolCatalog catalog;
    catalog.push_back(ProtocolSpec{
        .name = "raft",
        .description = "Raft consensus (Ongaro and Ousterhout 2014)",
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
    });
    catalog.push_back(ProtocolSpec{
        .name = "dynamo",
        .description = "Dynamo-style replicated store with sloppy quorums",
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
    });
    return catalog;
}

}  // namespace faultline::scenario::test
