// Primary-backup's buggify sites (protocols/primary_backup/entry.cpp): each, listed alone on a
// fenced primary-backup under crashes and partitions, fires, and the system stays linearizable
// with every invariant. A site whose code were removed would not fire and fail here.
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("primary-backup buggify sites: each fires, and a fenced primary-backup stays safe",
          "[primary_backup][buggify]") {
    for (const char* site : {"primary_backup.crash_after_ack", "primary_backup.client_impatient_retry"})
        test::require_site_fires_safely(
            test::with_buggify_site(3, "protocol = \"primary_backup\"\nmode = \"fenced\"", site), site, {1, 2, 3});
}
