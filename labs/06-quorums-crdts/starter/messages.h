// Lab 06's messages. You need not change this file.
#pragma once

#include "crdt.h"
#include "versions.h"

#include "protocols/kv/kv_client.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

namespace faultline::lab06 {

// Client -> any server (the coordinator of this request): a get or put of the store (with the
// context of the key the client last got back), or a counter's or set's update or read.
struct Request {
    static constexpr std::string_view type_name = "lab06.request";
    kv::KvOp op;
    VersionVector context;
    std::string describe() const { return op.describe() + " ctx " + context.describe(); }
};

// Server -> client: the values read (several: siblings; a counter's decimal; a set's elements),
// and the context to send with the next put of the key.
struct Reply {
    static constexpr std::string_view type_name = "lab06.reply";
    std::vector<std::string> values;
    VersionVector context;
    std::string describe() const { return fmt::format("{} values ctx {}", values.size(), context.describe()); }
};

// Coordinator -> replica: send me your versions of `key`, for get number `read`.
struct ReadVersions {
    static constexpr std::string_view type_name = "lab06.read";
    uint64_t read = 0;
    std::string key;
    std::string describe() const { return fmt::format("read {} {}", read, key); }
};

// Replica -> coordinator: my versions of the key, for get number `read`.
struct HeldVersions {
    static constexpr std::string_view type_name = "lab06.held";
    uint64_t read = 0;
    std::vector<Version> versions;
    std::string describe() const { return fmt::format("read {}: {} versions", read, versions.size()); }
};

// Coordinator -> replica: keep these versions of `key` (a put's new version, or a read repair's
// versions). `write` is the put's number, acknowledged by Stored; 0 for a repair (no answer).
struct StoreVersions {
    static constexpr std::string_view type_name = "lab06.store";
    uint64_t write = 0;
    std::string key;
    std::vector<Version> versions;
    std::string describe() const {
        return fmt::format("{} {}: {} versions", write == 0 ? "repair" : fmt::format("write {}", write), key,
                           versions.size());
    }
};

// Replica -> coordinator: I keep put number `write`'s version.
struct Stored {
    static constexpr std::string_view type_name = "lab06.stored";
    uint64_t write = 0;
    std::string describe() const { return fmt::format("stored {}", write); }
};

// Server -> server, every gossip interval: its whole state of counters and sets.
struct Gossip {
    static constexpr std::string_view type_name = "lab06.gossip";
    std::map<std::string, Counter> counters;
    std::map<std::string, Set> sets;
    std::string describe() const { return fmt::format("{} counters {} sets", counters.size(), sets.size()); }
};

}  // namespace faultline::lab06
