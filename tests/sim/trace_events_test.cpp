// The stored trace's containers: TraceEvents (blocks that never move) and TraceText (an event's
// text in one pointer).
#include "sim/trace_events.h"
#include "sim/trace_text.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

using namespace faultline;

TEST_CASE("trace events: appended across block boundaries, read back in order by index and by iteration", "[sim][trace]") {
    // 4096 + 8192 + 16384 fill the first three blocks exactly; probe both sides of each boundary.
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{4096}, std::size_t{4097},
                          std::size_t{12'288}, std::size_t{12'289}, std::size_t{28'672}, std::size_t{30'000}}) {
        TraceEvents events;
        std::vector<const TraceEvent*> addresses;
        for (std::size_t i = 0; i < n; ++i) {
            TraceEvent& e = events.emplace_back();
            e.index = i;
            e.lamport = i * 3;
            if (i % 1000 == 0) e.text = fmt::format("event {}", i);
            addresses.push_back(&e);
        }
        REQUIRE(events.size() == n);
        REQUIRE(events.empty() == (n == 0));
        std::size_t seen = 0;
        for (const TraceEvent& e : events) {
            REQUIRE(e.index == seen);
            REQUIRE(&e == addresses[seen]);  // never moved
            ++seen;
        }
        REQUIRE(seen == n);
        REQUIRE(static_cast<std::size_t>(std::distance(events.begin(), events.end())) == n);
        for (std::size_t i = 0; i < n; i += 997) REQUIRE(events[i].lamport == i * 3);
        if (n > 0) {
            REQUIRE(events.back().index == n - 1);
            REQUIRE(&events[n - 1] == addresses.back());
        }
        auto copy = events.to_vector();
        REQUIRE(copy.size() == n);
        for (std::size_t i = 0; i < n; i += 1000) {
            REQUIRE(copy[i].index == i);
            REQUIRE(copy[i].text == fmt::format("event {}", i));
        }
        events.clear();
        REQUIRE(events.empty());
        REQUIRE(events.begin() == events.end());
        events.emplace_back().index = 42;  // usable again after clear
        REQUIRE(events[0].index == 42);
    }
}

TEST_CASE("trace events: std algorithms walk them as a forward range", "[sim][trace]") {
    TraceEvents events;
    for (int i = 0; i < 5000; ++i) events.emplace_back().kind = i % 2 ? EventKind::send : EventKind::deliver;
    REQUIRE(std::count_if(events.begin(), events.end(), [](const TraceEvent& e) { return e.kind == EventKind::send; }) == 2500);
    auto it = std::find_if(events.begin(), events.end(), [](const TraceEvent& e) { return e.kind == EventKind::send; });
    REQUIRE(it != events.end());
    REQUIRE(&*it == &events[1]);
}

TEST_CASE("trace text: reads as the string it holds, and owns a copy", "[sim][trace]") {
    TraceText none;
    REQUIRE(none.empty());
    REQUIRE(none.size() == 0);
    REQUIRE(none == "");
    REQUIRE(none.str().empty());
    REQUIRE(std::string_view(none).empty());

    TraceText t = std::string("role=leader");
    REQUIRE(t == "role=leader");
    REQUIRE("role=leader" == t);
    REQUIRE(t != "role=follower");
    REQUIRE(t.size() == 11);
    REQUIRE(t.find('=') == 4);
    REQUIRE(t.substr(5) == "leader");
    REQUIRE(t.starts_with("role"));
    REQUIRE(fmt::format("[{:>12}]", t) == "[ role=leader]");
    const std::string& as_string = t;
    REQUIRE(as_string == "role=leader");

    TraceText copy = t;
    copy = std::string("changed");
    REQUIRE(t == "role=leader");  // a deep copy
    REQUIRE(copy == "changed");
    TraceText moved = std::move(copy);
    REQUIRE(moved == "changed");

    // Assigning reuses the held string; assigning empty leaves it empty, not stale.
    moved = std::string();
    REQUIRE(moved.empty());
    moved = "again";
    REQUIRE(moved == "again");
    moved.clear();
    REQUIRE(moved.empty());
    moved = "a longer text than any before";  // past the kept block's capacity
    REQUIRE(moved == "a longer text than any before");
    moved = moved.view().substr(2, 6);  // from itself
    REQUIRE(moved == "longer");
    REQUIRE(sizeof(TraceText) == sizeof(void*));
}
