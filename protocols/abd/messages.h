// ABD's tags, what a server holds, and the four messages of its two phases (README.md tells the
// story). Every message carries the client's operation number and phase, so a reply that
// arrives after its phase is over, or twice, is recognised and ignored.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::abd {

// A tag orders the writes of one key: a higher counter is newer; two writes with the same counter
// are ordered by their writer's name. A writer takes counter = the highest it queried + 1, and
// writes one value at a time, so no two writes share a tag.
struct Tag {
    uint64_t counter = 0;
    std::string writer;
    auto operator<=>(const Tag&) const = default;
    std::string text() const;  // "3@c2"
};

// What a server holds for one key. A key nobody wrote has tag {0, ""} and found = false.
struct Stamped {
    Tag tag;
    bool found = false;
    std::string value;
    bool operator==(const Stamped&) const = default;
    // "<counter> <writer> <value>" for the disk; decode() returns nothing for a malformed record.
    std::string encode() const;
    static std::optional<Stamped> decode(std::string_view text);
};

// Phase 1, client -> every server: your tag and value of `key`?
struct Query {
    static constexpr std::string_view type_name = "abd.query";
    uint64_t operation = 0;
    std::string key;
    std::string describe() const;
};

struct QueryReply {
    static constexpr std::string_view type_name = "abd.query_reply";
    uint64_t operation = 0;
    Stamped stamped;
    std::string describe() const;
};

// Phase 2, client -> every server: keep this tag and value of `key` if it is newer than yours.
struct Store {
    static constexpr std::string_view type_name = "abd.store";
    uint64_t operation = 0;
    std::string key;
    Stamped stamped;
    std::string describe() const;
};

struct StoreAck {
    static constexpr std::string_view type_name = "abd.store_ack";
    uint64_t operation = 0;
    std::string describe() const;
};

}  // namespace faultline::abd
