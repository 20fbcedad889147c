// A failed FL_ASSERT inside World::run ends that run, not the process (sim/assertion_failure.h).
// Method: nodes that assert on purpose, in a handler and inside a fiber (whose exception must be
// caught at the fiber boundary and rethrown on the kernel's stack), next to a fiber that is still
// blocked (so destroying the World unwinds a suspended fiber after the failure). Require the
// AssertionFailure to name this file and line, the World to be destroyed cleanly (ASan build), the
// same seed to fail at the same event with the same trace hash, and an assertion outside any
// contained run to abort as before.
#include "sim/assertion_failure.h"
#include "check/check_assert.h"
#include "sim/world.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

using namespace faultline;

namespace {

constexpr uint64_t planted_tag = 7;
int planted_line = 0;  // the line of the FL_ASSERT in AssertsOnTimer::on_timer

// Sets a timer at start; the timer's handler fails an assertion.
class AssertsOnTimer final : public Process {
public:
    void on_start(Context& ctx) override { ctx.set_timer(milliseconds(5), planted_tag); }
    void on_timer(Context& ctx, TimerId, uint64_t tag) override {
        planted_line = __LINE__ + 1;
        FL_ASSERT(tag != planted_tag, "planted: the timer with tag {} fired", tag);
    }
};

WorldOptions options(uint64_t seed) {
    WorldOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::events;
    return o;
}

struct Failure {
    AssertionFailure failure;
    uint64_t events = 0;
    uint64_t hash = 0;
};

// Runs a world whose node n2 has a fiber blocked in receive forever, and whose n1 runs `body` in
// a fiber; returns the failure it ends in.
Failure run_until_failure(uint64_t seed, std::function<void(Context&)> body) {
    World world(options(seed));
    world.add_node("n1", fiber_process(std::move(body)));
    world.add_node("n2", fiber_process([](Context& ctx) { (void)ctx.receive(Duration::max()); }));
    try {
        world.run_until(Instant::zero() + seconds(1));
    } catch (const AssertionFailure& f) {
        return {f, world.events_processed(), world.trace_hash()};
    }
    FAIL("the run did not fail");
    return {};
}

}  // namespace

TEST_CASE("kernel: an assertion in a handler ends World::run with an AssertionFailure", "[sim][assertion]") {
    World world(options(3));
    world.add_node("n1", [] { return std::make_unique<AssertsOnTimer>(); });
    try {
        world.run_until(Instant::zero() + seconds(1));
        FAIL("the planted assertion did not fire");
    } catch (const AssertionFailure& f) {
        REQUIRE(f.file == "tests/sim/assertion_containment_test.cpp");
        REQUIRE(f.line == planted_line);
        REQUIRE(f.condition == "tag != planted_tag");
        REQUIRE(f.message == "planted: the timer with tag 7 fired");
        REQUIRE(f.context.find("seed 3") != std::string::npos);
        REQUIRE(f.describe().rfind("assertion failed at tests/sim/assertion_containment_test.cpp:", 0) == 0);
    }
    REQUIRE(world.now() == Instant::zero() + milliseconds(5));
    // The World is destroyed at the end of the scope: that must not abort either.
}

TEST_CASE("kernel: an assertion inside a fiber is rethrown at the fiber boundary, and the World unwinds", "[sim][assertion][fiber]") {
    auto body = [](Context& ctx) {
        ctx.sleep(milliseconds(3));
        FL_ASSERT(ctx.now() < Instant::zero() + milliseconds(3), "planted: fiber of {} woke at {}", ctx.name(),
                  to_string(ctx.now()));
    };
    Failure a = run_until_failure(11, body);
    REQUIRE(a.failure.file == "tests/sim/assertion_containment_test.cpp");
    REQUIRE(a.failure.message == "planted: fiber of n1 woke at 0.003000000");
    REQUIRE(a.events > 0);
    // Determinism: the same seed fails at the same event with the same trace.
    Failure b = run_until_failure(11, body);
    REQUIRE(b.events == a.events);
    REQUIRE(b.hash == a.hash);
    REQUIRE(b.failure.describe() == a.failure.describe());
}

TEST_CASE("kernel: an exception thrown by fiber code reaches the caller of World::run with its type", "[sim][assertion][fiber]") {
    World world(options(5));
    world.add_node("n1", fiber_process([](Context& ctx) {
                       ctx.sleep(milliseconds(1));
                       throw std::out_of_range("planted: index 9 of 3");
                   }));
    REQUIRE_THROWS_AS(world.run_until(Instant::zero() + seconds(1)), std::out_of_range);
}

TEST_CASE("kernel: a checker assertion throws only inside a containment scope", "[sim][assertion]") {
    check::ContainCheckerAssertions contain;
    try {
        CHECKER_ASSERT(1 + 1 == 3, "planted: arithmetic");
        FAIL("CHECKER_ASSERT did not throw");
    } catch (const check::CheckerAssertionFailure& f) {
        REQUIRE(f.condition == "1 + 1 == 3");
        REQUIRE(f.message == "planted: arithmetic");
    }
}

TEST_CASE("kernel: outside a contained run a failed assertion still aborts the process", "[sim][assertion]") {
    REQUIRE_FALSE(assertions_contained());
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Quietly, and without Catch's own SIGABRT handler reporting from the child.
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        std::signal(SIGABRT, SIG_DFL);
        FL_ASSERT(false, "planted: outside a run");
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGABRT);
}
