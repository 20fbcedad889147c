// The CAP lesson in the viewer: a CP and an AP system of the same scenario and seed side by side
// (`view --compare-system`), with the AP system's minority-side acknowledged writes and its
// sibling and stale reads highlighted as operations.
#include "visualizer/view_run.h"
#include "tests/visualizer/view_workload.h"

#include <catch2/catch.hpp>

#include <string>

using namespace faultline;
using namespace faultline::view;

namespace {

ViewRun cap_system(const std::string& system) {
    auto spec = spec_of_file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/cap/partition.toml", system, 1);
    REQUIRE(std::holds_alternative<ViewRunSpec>(spec));
    return test::must_run(std::get<ViewRunSpec>(spec));
}

const VerdictMark* verdict(const RunModel& m, const std::string& checker) {
    for (const VerdictMark& v : m.verdicts())
        if (v.checker.rfind(checker, 0) == 0) return &v;
    return nullptr;
}

}  // namespace

TEST_CASE("viewer: a CP and an AP system of one partition, their anomalies marked as operations", "[visualizer][cap]") {
    const ViewRun cp = cap_system("raft");
    const ViewRun ap = cap_system("dynamo_sloppy");
    REQUIRE(cp.model.info().trace_hash != ap.model.info().trace_hash);
    REQUIRE(cp.model.end() == ap.model.end());  // one time axis

    // The AP store acknowledged writes on the minority side; each is an operation to highlight.
    const VerdictMark* minority = verdict(ap.model, "partition_availability");
    REQUIRE(minority != nullptr);
    REQUIRE(minority->ok);  // figures only: not a failure
    REQUIRE_FALSE(minority->ops.empty());
    for (std::size_t i : minority->ops) REQUIRE(ap.model.ops()[i].operation.rfind("put", 0) == 0);
    const VerdictMark* stale = verdict(ap.model, "stale_reads");
    REQUIRE(stale != nullptr);
    REQUIRE_FALSE(stale->ops.empty());
    for (std::size_t i : stale->ops) REQUIRE(ap.model.ops()[i].operation.rfind("get", 0) == 0);

    // Raft acknowledged nothing on the minority side: nothing to mark.
    const VerdictMark* none = verdict(cp.model, "partition_availability");
    REQUIRE((none == nullptr || none->ops.empty()));
}
