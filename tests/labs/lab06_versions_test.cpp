// Lab 06's given version code (labs/06-quorums-crdts/starter/versions.h): a VersionVector is an
// exact set of dots, whatever order they arrive in, so "saw (n1, 3)" never claims (n1, 2).
#include "labs/06-quorums-crdts/starter/versions.h"

#include <catch2/catch.hpp>

using namespace faultline::lab06;

TEST_CASE("lab 06 versions: a dot above a gap is held alone, and joins the vector once the gap fills", "[labs]") {
    VersionVector v;
    v.add({"n1", 3});
    REQUIRE(v.holds({"n1", 3}));
    REQUIRE_FALSE(v.holds({"n1", 2}));
    REQUIRE_FALSE(v.holds({"n1", 1}));
    v.add({"n1", 1});
    REQUIRE(v.describe() == "{n1:1 +n1:3}");
    v.add({"n1", 2});
    REQUIRE(v.describe() == "{n1:3}");
    REQUIRE(v.beyond.empty());
}

TEST_CASE("lab 06 versions: merge is the union of the dots, in any order", "[labs]") {
    VersionVector a, b;
    a.add({"n1", 1});
    a.add({"n2", 2});  // alone: n2:1 unseen
    b.add({"n2", 1});
    b.add({"n1", 3});
    VersionVector ab = a, ba = b;
    ab.merge(b);
    ba.merge(a);
    REQUIRE(ab == ba);
    REQUIRE(ab.describe() == "{n1:1 n2:2 +n1:3}");
    VersionVector again = ab;
    again.merge(ab);
    REQUIRE(again == ab);
}

TEST_CASE("lab 06 versions: a version supersedes exactly those whose dot its context holds", "[labs]") {
    const Version first{"a", {"n1", 1}, {}};
    VersionVector saw_first;
    saw_first.add(first.dot);
    const Version second{"b", {"n2", 1}, saw_first};
    const Version concurrent{"c", {"n1", 2}, {}};
    REQUIRE(second.supersedes(first));
    REQUIRE_FALSE(first.supersedes(second));
    REQUIRE_FALSE(second.supersedes(concurrent));
    REQUIRE_FALSE(concurrent.supersedes(first));  // a later dot of n1, but its writer saw nothing
    REQUIRE(context_of({second, concurrent}).describe() == "{n1:2 n2:1}");
    REQUIRE(values_of({second, concurrent}) == std::vector<std::string>{"b", "c"});
}
