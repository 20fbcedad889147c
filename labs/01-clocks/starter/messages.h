// Lab 01's messages. You need not change this file.
#pragma once

// version.h is yours to edit; it is found on the include path (<>), so that the reference
// solution's version.h can stand in for it when the graders' own tests build it.
#include <version.h>

#include "protocols/kv/kv_client.h"

#include <string>
#include <vector>

namespace faultline::lab01 {

// A value as a replica stores it: the value and the version of the write that made it.
struct Stored {
    std::string value;
    Version version;
    bool operator==(const Stored&) const = default;
};

// Client -> replica: a get or put, with the client's context for that key (the version the
// client last got back for it; a default Version when it has seen nothing yet).
struct Request {
    static constexpr std::string_view type_name = "lab01.request";
    kv::KvOp op;
    Version context;
    std::string describe() const { return op.describe() + " ctx " + context.describe(); }
};

// Replica -> client: a get's values (several when the replica holds concurrent versions:
// siblings), and the version the client is to send back as its context next time.
struct Reply {
    static constexpr std::string_view type_name = "lab01.reply";
    std::vector<std::string> values;
    Version context;
    std::string describe() const { return std::to_string(values.size()) + " values ctx " + context.describe(); }
};

// Replica -> replica: what a replica holds for one key (sent after every write, and by
// anti-entropy for every key).
struct Update {
    static constexpr std::string_view type_name = "lab01.update";
    std::string key;
    std::vector<Stored> versions;
    std::string describe() const { return key + " (" + std::to_string(versions.size()) + " versions)"; }
};

}  // namespace faultline::lab01
