// check/register_order.h on histories small enough to read: each anomaly found where real time
// proves it, and never on a history a linearizable store could produce.
#include "check/history_builder.h"
#include "check/register_order.h"

#include <catch2/catch.hpp>

using namespace faultline::check;

namespace {

std::vector<Operation> paired(const HistoryBuilder& b) {
    auto ops = pair_operations(b.history());
    REQUIRE(ops.ok());
    return ops.value();
}

const std::map<OpId, std::vector<std::string>> no_siblings;

}  // namespace

TEST_CASE("register order: a get of a value superseded before it began is stale, by how much", "[check][register_order]") {
    HistoryBuilder b;
    auto w1 = b.invoke(1, Function::put, "k", "a", 0);
    b.complete_ok(w1, std::nullopt, 10);
    auto w2 = b.invoke(1, Function::put, "k", "b", 20);
    b.complete_ok(w2, std::nullopt, 30);
    auto r = b.invoke(2, Function::get, "k", std::nullopt, 50);  // began 20 ms after "b" was acknowledged
    b.complete_ok(r, std::string("a"), 60);
    auto ops = paired(b);
    const RegisterOrder order(ops, no_siblings);
    auto stale = stale_reads(order);
    REQUIRE(stale.size() == 1);
    REQUIRE(stale[0].op == r);
    REQUIRE(stale[0].because == w2);
    REQUIRE(stale[0].behind_ms == Approx(20e-6));  // times here are nanoseconds: 20 ns
    REQUIRE(stale[0].versions_behind == 1);
}

TEST_CASE("register order: reads a linearizable store could return are never stale", "[check][register_order]") {
    HistoryBuilder b;
    auto w1 = b.invoke(1, Function::put, "k", "a", 0);
    b.complete_ok(w1, std::nullopt, 10);
    auto w2 = b.invoke(1, Function::put, "k", "b", 20);
    auto r1 = b.invoke(2, Function::get, "k", std::nullopt, 25);  // concurrent with "b": "a" is fine
    b.complete_ok(r1, std::string("a"), 26);
    b.complete_ok(w2, std::nullopt, 40);
    auto r2 = b.invoke(2, Function::get, "k", std::nullopt, 50);
    b.complete_ok(r2, std::string("b"), 60);
    auto w3 = b.invoke(3, Function::put, "k", "c", 70);  // info: may take effect any time later
    b.complete_info(w3, 80);
    auto r3 = b.invoke(2, Function::get, "k", std::nullopt, 90);
    b.complete_ok(r3, std::string("c"), 95);
    auto ops = paired(b);
    const RegisterOrder order(ops, no_siblings);
    REQUIRE(stale_reads(order).empty());
    REQUIRE(lost_puts(order, {{"k", {"c"}}}).empty());
    REQUIRE(session_anomalies(order, {{"k", {"c"}}}).empty());
}

TEST_CASE("register order: siblings are stale only when every one of them is", "[check][register_order]") {
    HistoryBuilder b;
    auto w1 = b.invoke(1, Function::put, "k", "a", 0);
    b.complete_ok(w1, std::nullopt, 10);
    auto w2 = b.invoke(2, Function::put, "k", "b", 20);
    b.complete_ok(w2, std::nullopt, 30);
    auto r = b.invoke(3, Function::get, "k", std::nullopt, 50);
    b.complete_ok(r, std::string("b"), 60);
    auto ops = paired(b);
    const std::map<OpId, std::vector<std::string>> siblings{{r, {"a", "b"}}};
    const RegisterOrder order(ops, siblings);
    REQUIRE(order.values_read(ops[static_cast<std::size_t>(r)]) == std::vector<std::string>{"a", "b"});
    REQUIRE(stale_reads(order).empty());
}

TEST_CASE("register order: a put overwritten by an older one is lost, by a later one it is not", "[check][register_order]") {
    HistoryBuilder b;
    auto w1 = b.invoke(1, Function::put, "k", "old", 0);
    b.complete_ok(w1, std::nullopt, 10);
    auto w2 = b.invoke(2, Function::put, "k", "new", 20);
    b.complete_ok(w2, std::nullopt, 30);
    auto ops = paired(b);
    const RegisterOrder order(ops, no_siblings);
    auto lost = lost_puts(order, {{"k", {"old"}}});  // last-writer-wins with a clock from the future
    REQUIRE(lost.size() == 1);
    REQUIRE(lost[0].op == w2);
    REQUIRE(lost_puts(order, {{"k", {"new"}}}).empty());
    REQUIRE(lost_puts(order, {{"k", {"new", "old"}}}).empty());  // siblings: nothing lost
}

TEST_CASE("register order: each session guarantee is caught by its own breach", "[check][register_order]") {
    SECTION("read your writes and monotonic reads") {
        HistoryBuilder b;
        auto w1 = b.invoke(1, Function::put, "k", "a", 0);
        b.complete_ok(w1, std::nullopt, 10);
        auto w2 = b.invoke(2, Function::put, "k", "b", 20);
        b.complete_ok(w2, std::nullopt, 30);
        auto r1 = b.invoke(2, Function::get, "k", std::nullopt, 40);  // p2 wrote "b", reads "a"
        b.complete_ok(r1, std::string("a"), 50);
        auto r2 = b.invoke(1, Function::get, "k", std::nullopt, 60);  // p1 reads "b" ...
        b.complete_ok(r2, std::string("b"), 70);
        auto r3 = b.invoke(1, Function::get, "k", std::nullopt, 80);  // ... then "a" again
        b.complete_ok(r3, std::string("a"), 90);
        auto ops = paired(b);
        const RegisterOrder order(ops, no_siblings);
        auto found = session_anomalies(order, {{"k", {"b"}}});
        REQUIRE(found.size() == 2);
        REQUIRE(found[0].kind == "read_your_writes");
        REQUIRE(found[0].op == r1);
        REQUIRE(found[1].kind == "monotonic_reads");
        REQUIRE(found[1].op == r3);
    }
    SECTION("monotonic writes and writes follow reads") {
        HistoryBuilder b;
        auto w1 = b.invoke(1, Function::put, "k", "a", 0);
        b.complete_ok(w1, std::nullopt, 10);
        auto w2 = b.invoke(1, Function::put, "k", "b", 20);  // p1's later put ...
        b.complete_ok(w2, std::nullopt, 30);
        auto r = b.invoke(2, Function::get, "k", std::nullopt, 40);  // p2 reads "a" (stale) ...
        b.complete_ok(r, std::string("a"), 50);
        auto w3 = b.invoke(2, Function::put, "k", "c", 60);  // ... and writes after reading it
        b.complete_ok(w3, std::nullopt, 70);
        auto ops = paired(b);
        const RegisterOrder order(ops, no_siblings);
        auto found = session_anomalies(order, {{"k", {"a"}}});  // ... but "a" is what survives
        std::vector<std::string> kinds;
        for (const auto& a : found) kinds.push_back(a.kind);
        REQUIRE(kinds == std::vector<std::string>{"monotonic_writes", "writes_follow_reads"});
    }
}

TEST_CASE("register order: a put replaced by a write whose client never saw it is an unseen overwrite", "[check][register_order]") {
    // c1 puts a; c2, which never read a, puts b concurrently on the other side of a partition;
    // last-writer-wins keeps b alone: a was overwritten unseen. Had c2 read a first, or had the
    // store kept both as siblings, nothing would be wrong.
    HistoryBuilder b;
    auto a = b.invoke(1, Function::put, "k", "a", 0);
    b.complete_ok(a, std::nullopt, 10);
    auto w = b.invoke(2, Function::put, "k", "b", 20);
    b.complete_ok(w, std::nullopt, 30);
    auto ops = paired(b);
    const RegisterOrder order(ops, no_siblings);
    auto found = unseen_overwrites(order, {{"k", {"b"}}});
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].op == a);
    REQUIRE(unseen_overwrites(order, {{"k", {"a", "b"}}}).empty());  // kept as siblings
}

TEST_CASE("register order: a write that saw a put, directly or through another client's write, may replace it",
          "[check][register_order]") {
    HistoryBuilder b;
    auto a = b.invoke(1, Function::put, "k", "a", 0);
    b.complete_ok(a, std::nullopt, 10);
    auto r = b.invoke(2, Function::get, "k", std::nullopt, 20);  // c2 reads a ...
    b.complete_ok(r, std::string("a"), 25);
    auto w2 = b.invoke(2, Function::put, "k", "b", 30);  // ... then writes b: b saw a
    b.complete_ok(w2, std::nullopt, 40);
    auto r3 = b.invoke(3, Function::get, "k", std::nullopt, 50);  // c3 reads b, so it saw a too
    b.complete_ok(r3, std::string("b"), 55);
    auto w3 = b.invoke(3, Function::put, "k", "c", 60);  // info: it may have happened
    b.complete_info(w3, 70);
    auto ops = paired(b);
    const RegisterOrder order(ops, no_siblings);
    REQUIRE(unseen_overwrites(order, {{"k", {"c"}}}).empty());
    REQUIRE(unseen_overwrites(order, {{"k", {"b"}}}).empty());
    // Without c3's put (which saw both), b would have been replaced unseen by nothing: judged lost.
    HistoryBuilder b2;
    auto a2 = b2.invoke(1, Function::put, "k", "a", 0);
    b2.complete_ok(a2, std::nullopt, 10);
    auto ops2 = paired(b2);
    const RegisterOrder order2(ops2, no_siblings);
    REQUIRE(unseen_overwrites(order2, {}).size() == 1);
}
