// The Dynamo-style store's parts, each on its own: version vectors, how versions reconcile in
// both conflict modes, the ring, the Merkle tree, and the disk encoding under garbage.
#include "protocols/dynamo/merkle.h"
#include "protocols/dynamo/ring.h"
#include "protocols/dynamo/versions.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <set>

using namespace faultline;
using namespace faultline::dynamo;

namespace {

VersionVector vv(std::map<std::string, uint64_t> c) { return VersionVector{std::move(c)}; }
Version with_clock(std::string value, std::map<std::string, uint64_t> c) { return Version{std::move(value), vv(std::move(c)), 0, 0}; }
Version stamped(std::string value, int64_t ns, uint64_t node) { return Version{std::move(value), {}, ns, node}; }

}  // namespace

TEST_CASE("dynamo: version vectors compare, merge and round-trip", "[dynamo]") {
    REQUIRE(vv({{"n1", 1}}).compare(vv({{"n1", 2}})) == Causality::before);
    REQUIRE(vv({{"n1", 2}}).compare(vv({{"n1", 1}})) == Causality::after);
    REQUIRE(vv({{"n1", 1}}).compare(vv({{"n2", 1}})) == Causality::concurrent);
    REQUIRE(vv({}).compare(vv({{"n2", 1}})) == Causality::before);
    REQUIRE(vv({{"n1", 1}, {"n2", 0}}).compare(vv({{"n1", 1}})) == Causality::equal);  // absent = 0
    VersionVector m = vv({{"n1", 3}, {"n2", 1}});
    m.merge(vv({{"n2", 4}, {"n3", 1}}));
    REQUIRE(m == vv({{"n1", 3}, {"n2", 4}, {"n3", 1}}));
    REQUIRE(m.text() == "n1:3,n2:4,n3:1");
    REQUIRE(VersionVector::parse(m.text()) == m);
    REQUIRE(VersionVector::parse("") == VersionVector{});
    for (const char* bad : {"n1", "n1:", ":3", "n1:x", "n1:-1", "n1:1,,n2:2", "n1:99999999999999999999999"})
        REQUIRE_FALSE(VersionVector::parse(bad).has_value());
}

TEST_CASE("dynamo: last-writer-wins keeps the highest stamp, version vectors keep concurrent siblings", "[dynamo]") {
    Siblings lww;
    REQUIRE(reconcile(ConflictMode::lww, lww, stamped("a", 10, 1)));
    REQUIRE_FALSE(reconcile(ConflictMode::lww, lww, stamped("old", 5, 2)));  // an older stamp loses,
    REQUIRE(reconcile(ConflictMode::lww, lww, stamped("b", 10, 2)));        // a tie goes to the higher node
    REQUIRE(values_of(lww) == std::vector<std::string>{"b"});

    Siblings held;
    REQUIRE(reconcile(ConflictMode::vv, held, with_clock("a", {{"n1", 1}})));
    REQUIRE(reconcile(ConflictMode::vv, held, with_clock("b", {{"n2", 1}})));  // concurrent: both kept
    REQUIRE(values_of(held) == std::vector<std::string>{"a", "b"});
    REQUIRE_FALSE(reconcile(ConflictMode::vv, held, with_clock("a", {{"n1", 1}})));  // known: no change
    REQUIRE(context_of(held) == vv({{"n1", 1}, {"n2", 1}}));
    // A put that saw both (its context) supersedes both.
    REQUIRE(reconcile(ConflictMode::vv, held, with_clock("c", {{"n1", 2}, {"n2", 1}})));
    REQUIRE(values_of(held) == std::vector<std::string>{"c"});
    REQUIRE_FALSE(reconcile(ConflictMode::vv, held, with_clock("a", {{"n1", 1}})));  // an ancestor: dropped
    REQUIRE(covers(ConflictMode::vv, held, {with_clock("a", {{"n1", 1}})}));
    REQUIRE_FALSE(covers(ConflictMode::vv, held, {with_clock("d", {{"n3", 1}})}));

    // Two replicas that received the same versions in different orders hold equal sibling lists.
    Siblings x, y;
    const std::vector<Version> all{with_clock("p", {{"n1", 1}}), with_clock("q", {{"n2", 1}}), with_clock("r", {{"n3", 1}})};
    for (const auto& v : all) reconcile(ConflictMode::vv, x, v);
    for (auto it = all.rbegin(); it != all.rend(); ++it) reconcile(ConflictMode::vv, y, *it);
    REQUIRE(x == y);
}

TEST_CASE("dynamo: versions round-trip through the disk encoding, and garbage is refused", "[dynamo]") {
    const Siblings s{with_clock("line\nbreak and spaces", {{"n1", 2}}), stamped("", 123456789, 3)};
    auto back = decode(encode(s));
    REQUIRE(back.has_value());
    REQUIRE(*back == s);
    REQUIRE(decode("")->empty());
    for (const char* bad : {"x", "1 2 - 5:ab\n", "1 2 - 2:ab", "1 2 n1: 1:a\n", "-", "1 2 - 99999999999999999999:a\n", "\xff\xfe\n"})
        REQUIRE_FALSE(decode(bad).has_value());
}

TEST_CASE("dynamo: a preference list names distinct servers, the same on every call, and spreads keys", "[dynamo]") {
    const std::vector<std::string> servers{"n1", "n2", "n3", "n4", "n5"};
    const Ring ring(servers, 8);
    std::map<std::size_t, int> first;  // how many keys each server coordinates first
    for (int k = 0; k < 1000; ++k) {
        const std::string key = fmt::format("k{}", k);
        const auto walk = ring.walk(key);
        REQUIRE(walk.size() == servers.size());
        REQUIRE(std::set<std::size_t>(walk.begin(), walk.end()).size() == servers.size());
        REQUIRE(ring.walk(key) == walk);
        const auto pref = ring.preference_list(key, 3);
        REQUIRE(pref == std::vector<std::size_t>(walk.begin(), walk.begin() + 3));
        ++first[walk.front()];
    }
    REQUIRE(ring.preference_list("k", 9).size() == servers.size());  // N capped at the servers
    // Virtual nodes spread the keys: every server is first for some share (200 each on average;
    // with 8 tokens each, the smallest share measured is 95).
    for (const auto& [server, count] : first) REQUIRE(count > 50);
    REQUIRE(first.size() == servers.size());
}

TEST_CASE("dynamo: Merkle trees of equal data agree, a changed key shows in exactly its leaf", "[dynamo]") {
    std::map<std::string, Siblings> a;
    for (int k = 0; k < 50; ++k) a[fmt::format("k{}", k)] = {with_clock(fmt::format("v{}", k), {{"n1", 1}})};
    auto all = [](const std::string&) { return true; };
    const MerkleTree ta = MerkleTree::build(a, all, 4);
    REQUIRE(ta.differing_leaves(MerkleTree::build(a, all, 4)).empty());
    REQUIRE(MerkleTree::from_nodes(ta.nodes()).root() == ta.root());
    auto b = a;
    b["k7"] = {with_clock("changed", {{"n2", 1}})};
    const auto leaves = ta.differing_leaves(MerkleTree::build(b, all, 4));
    REQUIRE(leaves == std::vector<uint32_t>{MerkleTree::leaf_of("k7", 4)});
    // Keys outside the shared range are left out of the tree.
    auto without_k7 = [](const std::string& key) { return key != "k7"; };
    REQUIRE(MerkleTree::build(a, without_k7, 4).differing_leaves(MerkleTree::build(b, without_k7, 4)).empty());
}
