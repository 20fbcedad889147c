// The packed event encoding (store/event_codec.h): every field of every event round-trips
// exactly, including the extremes of each type; damaged bytes are reported, never trusted.
// Method: a dumb oracle beside the clever encoding: random events compared field by field after
// encode + decode; then truncated and altered chunks must all be rejected without a crash.
#include "store/event_codec.h"
#include "store/run_record.h"

#include "sim/rng.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::store;

namespace {

std::vector<TraceEvent> random_events(uint64_t seed, std::size_t n) {
    Rng rng = Rng::derive(seed, "stream", "codec");
    auto pick = [&](uint64_t bound) { return rng.below(bound); };
    const uint64_t specials[] = {0, 1, 127, 128, 16383, 16384, UINT32_MAX, INT64_MAX, uint64_t(INT64_MAX) + 1, UINT64_MAX};
    auto any64 = [&] { return pick(3) == 0 ? specials[pick(std::size(specials))] : rng.next_u64(); };
    std::vector<TraceEvent> events;
    for (std::size_t i = 0; i < n; ++i) {
        TraceEvent e;
        e.index = 1000 + i;
        e.time = Instant::from_ns(static_cast<int64_t>(any64()));
        e.local_time = Instant::from_ns(static_cast<int64_t>(any64()));
        e.lamport = any64();
        e.id = any64();
        e.cause = pick(4) == 0 ? no_event : any64();
        e.node = pick(4) == 0 ? no_node : static_cast<NodeId>(pick(no_node));
        e.peer = pick(4) == 0 ? no_node : static_cast<NodeId>(pick(no_node));
        e.kind = static_cast<EventKind>(pick(event_kind_count));
        e.reason = static_cast<uint8_t>(pick(256));
        e.name = pick(3) == 0 ? 0 : static_cast<uint32_t>(pick(uint64_t{UINT32_MAX} + 1));
        if (pick(2) == 0) e.text = std::string(pick(300), static_cast<char>('a' + pick(26)));
        events.push_back(std::move(e));
    }
    return events;
}

}  // namespace

TEST_CASE("event codec: random events with extreme values round-trip field by field", "[store][codec]") {
    for (uint64_t seed = 0; seed < 20; ++seed) {
        const auto events = random_events(seed, 500);
        std::string bytes;
        encode_events(events, bytes);
        std::vector<TraceEvent> back;
        auto problem = decode_events(bytes, 1000, events.size(), back);
        INFO("seed " << seed << ": " << problem.value_or(""));
        REQUIRE_FALSE(problem.has_value());
        REQUIRE(back.size() == events.size());
        for (std::size_t i = 0; i < events.size(); ++i) {
            INFO("event " << i);
            REQUIRE(same_event(back[i], events[i]));
        }
    }
}

TEST_CASE("event codec: an empty chunk is empty", "[store][codec]") {
    std::string bytes;
    encode_events({}, bytes);
    REQUIRE(bytes.empty());
    std::vector<TraceEvent> back;
    REQUIRE_FALSE(decode_events(bytes, 0, 0, back).has_value());
    REQUIRE(back.empty());
}

TEST_CASE("event codec: truncated, extended or altered chunks are reported, not trusted", "[store][codec]") {
    const auto events = random_events(99, 50);
    std::string bytes;
    encode_events(events, bytes);
    // Every proper prefix is rejected.
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        std::vector<TraceEvent> back;
        INFO("cut at " << cut);
        REQUIRE(decode_events(std::string_view(bytes).substr(0, cut), 1000, events.size(), back).has_value());
    }
    std::vector<TraceEvent> back;
    auto extra = decode_events(bytes + "x", 1000, events.size(), back);
    REQUIRE(extra.has_value());
    REQUIRE_THAT(*extra, Catch::Contains("1 bytes left over"));
    // An unknown kind code in the first event.
    std::string bad_kind = bytes;
    bad_kind[0] = static_cast<char>(200);
    back.clear();
    auto kind = decode_events(bad_kind, 1000, events.size(), back);
    REQUIRE(kind.has_value());
    REQUIRE_THAT(*kind, Catch::Contains("event 1000 (byte 0 of the chunk): kind code 200 is unknown"));
    // Any single flipped byte either decodes to different events or is rejected: never a crash.
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::string flipped = bytes;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
        back.clear();
        auto problem = decode_events(flipped, 1000, events.size(), back);
        if (!problem) {
            bool differs = false;
            for (std::size_t k = 0; k < events.size(); ++k) differs = differs || !same_event(back[k], events[k]);
            REQUIRE(differs);
        }
    }
}
