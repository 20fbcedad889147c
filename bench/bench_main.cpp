// faultline-bench: the simulation kernel's performance figures, one `RESULT name value unit` line
// each (for scripts), with human-readable lines around them. BENCHMARKS.md records a run and says
// what every figure includes.
//
// Method: each figure is timed with std::chrono::steady_clock (this is not simulation code, so a
// wall clock is fine here) over a fixed amount of work, repeated `reps` times; the best repetition
// is reported, since on a shared machine slower repetitions measure the neighbours. World setup
// (add_node) is outside the timed region; World::run is inside it.
//
// Sections: [harness] [fibers] [queue] [messages] [memory] [simgrid] [checker] [seeds] [main].
#include "bench/bench_simgrid.h"
#include "sim/event_queue.h"
#include "sim/world.h"

#include <CLI/CLI.hpp>
#include <boost/context/fiber.hpp>

#include "sim/coroutine.h"
#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>
#if FAULTLINE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "check/checker.h"
#include "check/model.h"
#include "check/random_history.h"
#include "runner/catalog.h"
#include "runner/expectations.h"
#include "runner/run.h"
#include "runner/sweep.h"
#include "scenario/scenario_parser.h"
#include "store/run_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fl = faultline;

namespace {

// ============================================================================================
// [harness]
// ============================================================================================

struct Config {
    bool quick = false;
    bool simgrid = false;
    std::string filter;
    std::vector<std::string> exclude;
    int reps = 3;
};

Config config;
std::map<std::string, double, std::less<>> results;  // every RESULT so far, for the ratios

bool selected(std::string_view name) {
    for (const auto& e : config.exclude)
        if (name.find(e) != std::string_view::npos) return false;
    return config.filter.empty() || name.find(config.filter) != std::string_view::npos;
}

void result(std::string_view name, double value, std::string_view unit) {
    results[std::string(name)] = value;
    std::printf("RESULT %.*s %.4g %.*s\n", static_cast<int>(name.size()), name.data(), value,
                static_cast<int>(unit.size()), unit.data());
    std::fflush(stdout);
}

void note(std::string_view text) {
    std::printf("  %.*s\n", static_cast<int>(text.size()), text.data());
    std::fflush(stdout);
}

// Best wall time of `reps` runs of `body`, in seconds. `body` does its own setup outside the
// returned duration by calling the stopwatch it is given.
struct Stopwatch {
    std::chrono::steady_clock::time_point start;
    double seconds = 0;
    void begin() { start = std::chrono::steady_clock::now(); }
    void end() { seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
};

double best_of(int reps, const std::function<void(Stopwatch&)>& body) {
    double best = 1e300;
    for (int r = 0; r < reps; ++r) {
        Stopwatch w;
        body(w);
        best = std::min(best, w.seconds);
    }
    return best;
}

// Bytes the program holds from the allocator. With jemalloc (the default build): its
// stats.allocated, refreshed by advancing its epoch. With glibc's malloc: small chunks (uordblks)
// plus the large ones it serves with mmap (hblkhd), such as a trace block or the partition matrix.
std::size_t heap_in_use() {
#if FAULTLINE_JEMALLOC
    uint64_t epoch = 1;
    std::size_t size = sizeof epoch;
    mallctl("epoch", &epoch, &size, &epoch, size);
    std::size_t allocated = 0;
    size = sizeof allocated;
    if (mallctl("stats.allocated", &allocated, &size, nullptr, 0) != 0) return 0;
    return allocated;
#else
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#endif
}

uint64_t scale(uint64_t full, uint64_t quick) { return config.quick ? quick : full; }

// ============================================================================================
// [fibers]
// ============================================================================================

// Raw Boost.Context: two boost::context::fiber objects (the kernel's own fiber type and stack
// allocator) handing control back and forth with resume(). One resume() is one switch.
void bench_raw_switch() {
    const uint64_t round_trips = scale(10'000'000, 200'000);
    boost::context::pooled_fixedsize_stack stacks(128 * 1024);
    double s = best_of(config.reps, [&](Stopwatch& w) {
        uint64_t inside = 0;
        boost::context::fiber f(std::allocator_arg, stacks, [&](boost::context::fiber&& main) {
            for (;;) {
                ++inside;
                main = std::move(main).resume();
                if (inside == round_trips) break;
            }
            return std::move(main);
        });
        w.begin();
        for (uint64_t i = 0; i < round_trips; ++i) f = std::move(f).resume();
        w.end();
        if (inside != round_trips) std::abort();
    });
    result("fiber_switch_raw_boost", s * 1e9 / static_cast<double>(2 * round_trips), "ns");
    note("one boost::context::fiber::resume() between two fibers (no kernel)");
}

// The kernel's own switch (sim/coroutine.h, which every fiber runs on): the same round trip as
// above through Coroutine::resume / Coroutine::suspend.
void bench_coroutine_switch() {
    const uint64_t round_trips = scale(10'000'000, 200'000);
    fl::Coroutine::StackAllocator stacks(128 * 1024);
    double s = best_of(config.reps, [&](Stopwatch& w) {
        uint64_t inside = 0;
        fl::Coroutine* self = nullptr;
        fl::Coroutine co(stacks, [&] {
            for (;;) {
                ++inside;
                self->suspend();
                if (inside == round_trips) break;
            }
        });
        self = &co;
        w.begin();
        for (uint64_t i = 0; i < round_trips; ++i) co.resume();
        w.end();
        if (inside != round_trips) std::abort();
    });
    result("fiber_switch_coroutine", s * 1e9 / static_cast<double>(2 * round_trips), "ns");
    note("one switch through the kernel's Coroutine (sim/coroutine.h), which every fiber runs on");
}

fl::WorldOptions world_options(fl::TraceLevel level) {
    fl::WorldOptions o;
    o.seed = 1;
    o.trace_level = level;
    o.network.latency = fl::LatencyModel::constant(fl::milliseconds(1));
    return o;
}

// A handler that re-arms a zero-delay timer `count` times: one timer event per cycle, no fiber.
class TimerLoop final : public fl::Process {
public:
    explicit TimerLoop(uint64_t count) : count_(count) {}
    void on_start(fl::Context& ctx) override { ctx.set_timer(fl::Duration::zero()); }
    void on_timer(fl::Context& ctx, fl::TimerId, uint64_t) override {
        if (++fired_ < count_) ctx.set_timer(fl::Duration::zero());
    }

private:
    uint64_t count_;
    uint64_t fired_ = 0;
};

// Runs `world` (built by `make`) to quiescence; the best time of the run alone.
double time_runs(const std::function<std::unique_ptr<fl::World>()>& make, uint64_t expect_events_min) {
    return best_of(config.reps, [&](Stopwatch& w) {
        auto world = make();
        w.begin();
        auto r = world->run();
        w.end();
        if (r.reason != fl::StopReason::quiescent || r.events < expect_events_min) {
            std::fprintf(stderr, "bench: run stopped early (%s after %llu events)\n",
                         std::string(fl::to_string(r.reason)).c_str(),
                         static_cast<unsigned long long>(r.events));
            std::abort();
        }
    });
}

void bench_kernel_switch() {
    const uint64_t cycles = scale(2'000'000, 50'000);
    auto level = fl::TraceLevel::off;
    // A fiber that sleeps for zero time: block (a fiber timeout timer, switch out), the timer
    // event, resume (switch in). Two switches and one event per cycle.
    double fiber_s = time_runs(
        [&] {
            auto w = std::make_unique<fl::World>(world_options(level));
            w->add_node("sleeper", fl::fiber_process([cycles](fl::Context& ctx) {
                for (uint64_t i = 0; i < cycles; ++i) ctx.sleep(fl::Duration::zero());
            }));
            return w;
        },
        cycles);
    // The same cycle done by a handler: set a zero timer, take its event. One event per cycle.
    double handler_s = time_runs(
        [&] {
            auto w = std::make_unique<fl::World>(world_options(level));
            w->add_node("ticker", [cycles] { return std::make_unique<TimerLoop>(cycles); });
            return w;
        },
        cycles);
    double fiber_ns = fiber_s * 1e9 / static_cast<double>(cycles);
    double handler_ns = handler_s * 1e9 / static_cast<double>(cycles);
    result("fiber_sleep0_cycle", fiber_ns, "ns");
    note("fiber ctx.sleep(0): block + timer event + resume = 2 switches + 1 event, trace off");
    result("handler_timer0_cycle", handler_ns, "ns");
    note("handler set_timer(0) -> on_timer: the same event and timer work, no fiber");
    result("fiber_switch_kernel", (fiber_ns - handler_ns) / 2, "ns");
    note("(fiber_sleep0_cycle - handler_timer0_cycle) / 2: what one kernel fiber switch adds over");
    note("a handler (the Boost switch plus the kernel's fiber bookkeeping); derived, not timed alone");
}

struct Ping {
    static constexpr std::string_view type_name = "ping";
    uint64_t n = 0;
};

// Two nodes whose fibers exchange messages with send/receive: per message, the receiving fiber
// is resumed by the delivery event (switch in), sends the answer and blocks again (switch out).
void bench_fiber_pingpong() {
    const uint64_t round_trips = scale(1'000'000, 25'000);
    double s = time_runs(
        [&] {
            auto w = std::make_unique<fl::World>(world_options(fl::TraceLevel::off));
            fl::NodeId a = 0, b = 1;
            w->add_node("a", fl::fiber_process([b, round_trips](fl::Context& ctx) {
                for (uint64_t i = 0; i < round_trips; ++i) {
                    ctx.send(b, Ping{i});
                    if (!ctx.receive()) std::abort();
                }
            }));
            w->add_node("b", fl::fiber_process([a, round_trips](fl::Context& ctx) {
                for (uint64_t i = 0; i < round_trips; ++i) {
                    auto m = ctx.receive();
                    if (!m) std::abort();
                    ctx.send(a, Ping{m->get<Ping>().n});
                }
            }));
            return w;
        },
        2 * round_trips);
    double msgs = static_cast<double>(2 * round_trips);
    result("fiber_pingpong_message", s * 1e9 / msgs, "ns");
    note("2 nodes, fibers: send + delivery event + receive = 1 message and 2 switches, trace off");
    result("fiber_pingpong_off", msgs / s / 1e6, "M_msgs/s");
}

// ============================================================================================
// [queue]
// ============================================================================================

// The bare EventQueue in steady state: `pending` events queued; each step pops the earliest and
// pushes one later event (a "hold" model), so the heap keeps its size. One step = one event.
void bench_queue(std::size_t pending, std::string_view name) {
    const uint64_t steps = scale(pending >= 100'000 ? 5'000'000 : 10'000'000, 200'000);
    double s = best_of(config.reps, [&](Stopwatch& w) {
        fl::EventQueue q;
        uint64_t x = 0x9E3779B97F4A7C15ull, seq = 0;
        auto next_delay = [&x] {  // xorshift: cheap, so the figure is the heap's
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            return static_cast<int64_t>(x % 1'000'000);
        };
        for (std::size_t i = 0; i < pending; ++i) {
            q.push(fl::QueuedEvent{.at = fl::Instant::from_ns(next_delay()), .seq = seq++});
        }
        uint64_t checksum = 0;
        w.begin();
        for (uint64_t i = 0; i < steps; ++i) {
            fl::QueuedEvent e = q.pop();
            checksum += e.seq;
            e.at = e.at + fl::nanoseconds(next_delay());
            e.seq = seq++;
            q.push(e);
        }
        w.end();
        if (checksum == 0 || q.size() != pending) std::abort();
    });
    result(name, static_cast<double>(steps) / s / 1e6, "M_events/s");
}

// ============================================================================================
// [messages]
// ============================================================================================

struct Token {
    static constexpr std::string_view type_name = "token";
    uint64_t hops = 0;
};

// Ring: every node starts one token to its successor; a token travels `hops` hops. With n nodes
// there are n tokens in flight, so the queue holds n events. Ping-pong is a ring of two nodes of
// which only one starts a token.
class RingNode final : public fl::Process {
public:
    RingNode(fl::NodeId next, uint64_t hops, bool starts = true) : next_(next), hops_(hops), starts_(starts) {}
    void on_start(fl::Context& ctx) override {
        if (starts_) ctx.send(next_, Token{1});
    }
    void on_message(fl::Context& ctx, const fl::Envelope& m) override {
        uint64_t h = m.get<Token>().hops;
        if (h < hops_) ctx.send(next_, Token{h + 1});
    }

private:
    fl::NodeId next_;
    uint64_t hops_;
    bool starts_;
};

// All-to-all in rounds: each node sends one message to every other node; once it has heard from
// all of them it starts the next round. A round of n nodes is n(n-1) messages, all in flight at
// once (the queue peaks at n(n-1) events).
class AllToAllNode final : public fl::Process {
public:
    AllToAllNode(uint32_t n, uint64_t rounds) : n_(n), rounds_(rounds) {}
    void on_start(fl::Context& ctx) override { broadcast(ctx); }
    void on_message(fl::Context& ctx, const fl::Envelope& m) override {
        if (++heard_ == n_ - 1) {
            heard_ = 0;
            if (++round_ < rounds_) broadcast(ctx);
        }
    }

private:
    void broadcast(fl::Context& ctx) {
        for (fl::NodeId to = 0; to < n_; ++to) {
            if (to != ctx.id()) ctx.send(to, Token{round_});
        }
    }
    uint32_t n_;
    uint64_t rounds_;
    uint64_t round_ = 0;
    uint32_t heard_ = 0;
};

std::string_view level_name(fl::TraceLevel level) { return level == fl::TraceLevel::off ? "off" : "events"; }

// Runs a message workload at a trace level and reports messages per second.
void report_messages(std::string_view workload, fl::TraceLevel level, uint64_t messages,
                     const std::function<void(fl::World&)>& build) {
    std::string name = fmt::format("{}_{}", workload, level_name(level));
    if (!selected(name)) return;
    uint64_t delivered = 0;
    double s = best_of(config.reps, [&](Stopwatch& w) {
        fl::World world(world_options(level));
        build(world);
        w.begin();
        auto r = world.run();
        w.end();
        delivered = world.trace().count(fl::EventKind::deliver);
        if (r.reason != fl::StopReason::quiescent || delivered != messages) {
            std::fprintf(stderr, "bench: %s delivered %llu of %llu messages\n", name.c_str(),
                         static_cast<unsigned long long>(delivered), static_cast<unsigned long long>(messages));
            std::abort();
        }
    });
    result(name, static_cast<double>(messages) / s / 1e6, "M_msgs/s");
    note(fmt::format("{} messages, {:.1f} ns per message", messages, s * 1e9 / static_cast<double>(messages)));
}

void bench_messages(fl::TraceLevel level) {
    // Tracing at level events keeps two TraceEvents per message in memory, so it runs less work.
    bool tracing = level != fl::TraceLevel::off;
    const uint64_t pingpong = tracing ? scale(2'000'000, 50'000) : scale(5'000'000, 100'000);
    report_messages("pingpong", level, pingpong, [&](fl::World& w) {
        w.add_node("a", [pingpong] { return std::make_unique<RingNode>(1, pingpong); });
        w.add_node("b", [pingpong] { return std::make_unique<RingNode>(0, pingpong, false); });
    });
    for (uint32_t n : {100u, 1000u}) {
        const uint64_t hops = (tracing ? scale(2'000'000, 50'000) : scale(5'000'000, 100'000)) / n;
        report_messages(fmt::format("ring{}", n), level, hops * n, [&](fl::World& w) {
            for (uint32_t i = 0; i < n; ++i) {
                fl::NodeId next = (i + 1) % n;
                w.add_node(fmt::format("n{}", i), [next, hops] { return std::make_unique<RingNode>(next, hops); });
            }
        });
    }
    for (uint32_t n : {100u, 1000u}) {
        uint64_t per_round = uint64_t{n} * (n - 1);
        uint64_t budget = tracing ? scale(2'000'000, 50'000) : scale(5'000'000, 100'000);
        uint64_t rounds = std::max<uint64_t>(1, budget / per_round);
        report_messages(fmt::format("alltoall{}", n), level, rounds * per_round, [&](fl::World& w) {
            for (uint32_t i = 0; i < n; ++i) {
                w.add_node(fmt::format("n{}", i), [n, rounds] { return std::make_unique<AllToAllNode>(n, rounds); });
            }
        });
    }
}

// ============================================================================================
// [memory]
// ============================================================================================

class Idle final : public fl::Process {};

// Heap bytes per idle node: the heap_in_use() delta of adding `count` nodes running an empty
// Process (started, so their start events are gone) to a World that already has `base` nodes.
// Includes the node record, Context, Process, rng streams, names, and the kernel's per-node
// share of shared tables (the partition matrix grows with the square of the node count).
void bench_node_memory() {
    const uint32_t base = 100;
    const uint32_t count = static_cast<uint32_t>(scale(10'000, 1'000));
    fl::World world(world_options(fl::TraceLevel::off));
    for (uint32_t i = 0; i < base; ++i) world.add_node(fmt::format("n{}", i), [] { return std::make_unique<Idle>(); });
    world.run();
    std::size_t before = heap_in_use();
    auto t0 = std::chrono::steady_clock::now();
    for (uint32_t i = base; i < base + count; ++i) world.add_node(fmt::format("n{}", i), [] { return std::make_unique<Idle>(); });
    double add_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    world.run();
    std::size_t after = heap_in_use();
    auto matrix_bytes = [](std::size_t n) { return (n * n + 63) / 64 * 8; };  // Partition's bit matrix
    std::size_t matrix_growth = matrix_bytes(base + count) - matrix_bytes(base);
    result("memory_per_idle_node", static_cast<double>(after - before) / count, "bytes");
    note(fmt::format("{} idle nodes added to {} (heap delta), of which the partition matrix grew {} bytes",
                     count, base, matrix_growth));
    result("memory_per_idle_node_excl_partition", static_cast<double>(after - before - matrix_growth) / count,
           "bytes");
    note("the same without the partition matrix (n*n bits, so its share per node grows with n)");
    result("add_node_time", add_s * 1e6 / count, "us");
    note(fmt::format("mean add_node time while growing from {} to {} nodes", base, base + count));
}

// Heap bytes per stored trace event at level `events`: the heap_in_use() delta of a run divided by
// the events it stored (includes the vector's growth slack and any text on the heap), beside
// sizeof(TraceEvent).
void bench_trace_memory() {
    result("trace_event_sizeof", sizeof(fl::TraceEvent), "bytes");
    const uint64_t cycles = scale(500'000, 20'000);
    auto measure = [&](std::string_view name, const std::function<void(fl::World&)>& build) {
        std::size_t before = heap_in_use();
        fl::World world(world_options(fl::TraceLevel::events));
        build(world);
        world.run();
        std::size_t after = heap_in_use();
        auto events = static_cast<double>(world.trace().size());
        result(name, static_cast<double>(after - before) / events, "bytes");
        return events;
    };
    double e = measure("trace_event_bytes_messages", [&](fl::World& w) {
        w.add_node("a", [cycles] { return std::make_unique<RingNode>(1, cycles); });
        w.add_node("b", [cycles] { return std::make_unique<RingNode>(0, cycles, false); });
    });
    note(fmt::format("ping-pong, {:.0f} events (send/deliver: no text at level events)", e));
    e = measure("trace_event_bytes_timers", [&](fl::World& w) {
        w.add_node("t", [cycles] { return std::make_unique<TimerLoop>(cycles); });
    });
    note(fmt::format("timer loop, {:.0f} events (timer_set carries a formatted deadline text)", e));
}

// ============================================================================================
// [simgrid]
// ============================================================================================

// Our figure `name`, if this run measured it (a --filter may have skipped it), else 0.
double ours(std::string_view name) {
    auto it = results.find(name);
    return it == results.end() ? 0 : it->second;
}

void bench_simgrid() {
#if defined(FAULTLINE_BENCH_SIMGRID)
    const uint64_t pingpong = scale(1'000'000, 20'000);
    const uint64_t ring_messages = scale(1'000'000, 20'000);
    std::string factory = fl::bench::simgrid_pick_factory();
    if (factory.empty()) {
        note("simgrid: no context factory works in this build; skipped");
        return;
    }
    note(fmt::format("simgrid {} (contexts/factory:{}, network/model:Constant), each run in a forked child",
                     fl::bench::simgrid_version(), factory));
    auto run = [&](std::string_view name, fl::bench::SimgridWorkload wl, uint32_t nodes, uint64_t messages,
                   double ours) {
        if (!selected(name) && !selected("simgrid")) return;
        double best = 0;
        for (int r = 0; r < config.reps; ++r) {
            auto rate = fl::bench::simgrid_run(factory, wl, nodes, messages);
            if (!rate) {
                note(fmt::format("{}: SimGrid run failed", name));
                return;
            }
            best = std::max(best, *rate);
        }
        result(fmt::format("{}_simgrid", name), best / 1e6, "M_msgs/s");
        if (ours > 0) result(fmt::format("ratio_{}_vs_simgrid", name), ours / (best / 1e6), "x");
    };
    run("pingpong", fl::bench::SimgridWorkload::pingpong, 2, pingpong, ours("pingpong_off"));
    run("ring100", fl::bench::SimgridWorkload::ring, 100, ring_messages, ours("ring100_off"));
    run("ring1000", fl::bench::SimgridWorkload::ring, 1000, ring_messages, ours("ring1000_off"));
    note("ratio = our messages/s with tracing off / SimGrid's on the same workload (absent if filtered out)");
#else
    note("simgrid: not built in (configure with FAULTLINE_SIMGRID=ON and libsimgrid-dev installed)");
#endif
}

// ============================================================================================
// [checker]
// ============================================================================================

// The linearizability checker on histories of a correct atomic register/map with real
// concurrency (every client always has an operation outstanding, completions in random order,
// 5% info), the shapes the Raft issue names: 1k, 10k and 100k operations with 5, 10 and 50
// clients. One key up to 10k operations (the hard case: no decomposition helps); 100k operations
// over 10 keys. Plus the Porcupine-style comparisons: 300 ops x 20 processes on one register,
// 2,000 ops x 50 clients over 10 keys.
//
// Each shape runs twice: with distinct written values (as our workloads and most real test
// harnesses write them), where the register zones decide a key in O(n log n), and with values
// drawn from 1..5 (as Jepsen's register tests draw them), where only the search applies.
void bench_checker() {
    struct Shape {
        std::string name;
        int operations, processes, keys;
    };
    std::vector<Shape> shapes;
    for (int ops : {1'000, 10'000, 100'000}) {
        if (config.quick && ops > 1'000) continue;
        for (int clients : {5, 10, 50}) {
            shapes.push_back({fmt::format("checker_{}k_ops_{}_clients", ops / 1000, clients), ops, clients, ops >= 100'000 ? 10 : 1});
        }
    }
    shapes.push_back({"checker_porcupine_300_ops_20_procs_1_key", 300, 20, 1});
    shapes.push_back({"checker_porcupine_2000_ops_50_clients_10_keys", 2'000, 50, 10});
    for (bool distinct : {true, false}) {
        for (const auto& sh : shapes) {
            std::string name = sh.name + (distinct ? "_distinct" : "_5_values");
            if (!selected(name) && !selected("checker")) continue;
            // The smoke test keeps to the shapes that take milliseconds.
            if (config.quick && (!distinct || sh.processes > 10 || sh.operations < 1'000)) continue;
            fl::check::test::SplitMix64 rng(42);
            fl::check::test::HistoryShape shape;
            shape.processes = sh.processes;
            shape.operations = sh.operations;
            shape.keys = sh.keys;
            shape.values = 5;
            shape.unique_values = distinct;
            shape.allow_cas = false;
            shape.info_percent = 5;
            shape.fail_percent = 0;
            fl::check::History h = fl::check::test::simulate_history(rng, shape);
            fl::check::CheckResult last;
            double s = best_of(config.reps, [&](Stopwatch& w) {
                w.begin();
                last = fl::check::check(h, fl::check::Model::key_value_map());
                w.end();
            });
            result(name, s * 1e3, "ms");
            note(fmt::format("{} ops, {} clients, {} key(s), {} values: {} ({} search steps, peak {} KiB)", sh.operations,
                             sh.processes, sh.keys, distinct ? "distinct" : "5", fl::check::to_string(last.verdict),
                             last.steps, last.memory_bytes_max / 1024));
        }
    }
}

// The histories of bench/hard_histories.toml (a 5-node Raft, 6 clients on 2 keys, mostly appends,
// over a hostile network): the shape the append-order pruning (check/append_order.h) is for. Each
// seed's history is checked with the default budget, with the pruning on and (not in --quick)
// off. Figures: the time per history; the notes give how many were decided (not unknown).
void bench_checker_appends() {
    const bool on = selected("checker_appends_hard") || selected("checker");
    if (!on) return;
    const std::string path = std::string(FAULTLINE_SCENARIOS_DIR) + "/../bench/hard_histories.toml";
    auto parsed = fl::scenario::parse_scenario_file(path, fl::runner::catalog());
    if (!parsed.scenario) {
        std::fprintf(stderr, "bench: %s does not parse\n", path.c_str());
        std::abort();
    }
    const uint64_t seeds = scale(100, 5);
    std::vector<fl::check::History> histories;
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
        fl::runner::RunOptions o;
        o.seed = seed;
        o.trace_level = fl::TraceLevel::off;
        o.keep_trace = false;
        fl::runner::RunOutcome run = fl::runner::run_scenario(*parsed.scenario, o);
        histories.push_back(std::move(run.systems.front().history));
    }
    for (bool pruning : {true, false}) {
        const std::string name = pruning ? "checker_appends_hard" : "checker_appends_hard_without_pruning";
        if (!selected(name) && !selected("checker")) continue;
        if (config.quick && !pruning) continue;  // the smoke test skips the slow baseline
        std::size_t decided = 0, operations = 0;
        std::uint64_t steps = 0;
        double slowest = 0;
        Stopwatch all;
        all.begin();
        for (const fl::check::History& h : histories) {
            fl::check::Budget budget;
            budget.append_order = pruning;
            Stopwatch one;
            one.begin();
            const fl::check::CheckResult r = fl::check::check(h, fl::check::Model::key_value_map(), budget);
            one.end();
            slowest = std::max(slowest, one.seconds);
            decided += r.verdict != fl::check::Verdict::unknown;
            operations += r.operations;
            steps += r.steps;
        }
        all.end();
        result(name, all.seconds * 1e3 / static_cast<double>(histories.size()), "ms");
        note(fmt::format("bench/hard_histories.toml seeds 1..{} ({} operations a history on average), default budget: "
                         "{} decided, {} unknown; slowest {:.1f} ms; {:.1f} M search steps in all",
                         seeds, operations / histories.size(), decided, histories.size() - decided, slowest * 1e3,
                         static_cast<double>(steps) / 1e6));
    }
}

// ============================================================================================
// [seeds]
// ============================================================================================

// A figure's name suffix and its scenario (a path under scenarios/).
struct NamedScenario {
    std::string name;
    std::string file;
};

// A scenario of scenarios/ (a path under it); one that does not parse ends the benchmark.
fl::scenario::Scenario bench_scenario(const std::string& file) {
    const std::string path = std::string(FAULTLINE_SCENARIOS_DIR) + "/" + file;
    auto parsed = fl::scenario::parse_scenario_file(path, fl::runner::catalog());
    if (!parsed.scenario) {
        std::fprintf(stderr, "bench: %s does not parse\n", path.c_str());
        std::abort();
    }
    return *parsed.scenario;
}

// Seeds per second of a sweep, as `faultline sweep SCENARIO --seeds 1..N --jobs 1` runs them: every
// checker and expectation of the scenario on, each seed's result committed to a run store (a
// fresh SQLite file in /tmp), a failing seed re-run with its trace and stored. One worker, so the
// figure is per core. The scenarios users sweep most: Raft under the nemesis with every option,
// fenced primary-backup under the nemesis, and the tutorial's register.
void bench_seeds() {
    const std::vector<NamedScenario> workloads = {  // seeds_per_s_<name>
        {"raft_nemesis", "raft/nemesis_all_options.toml"},
        {"primary_backup_nemesis", "primary_backup/nemesis_fenced.toml"},
        {"tutorial_register", "tutorial/register.toml"},
    };
    const uint64_t seeds = scale(200, 10);
    for (const auto& w : workloads) {
        const std::string name = "seeds_per_s_" + w.name;
        if (!selected(name)) continue;
        const fl::scenario::Scenario scenario = bench_scenario(w.file);
        uint64_t failing = 0;
        double s = best_of(config.reps, [&](Stopwatch& sw) {
            const std::string db_path = fmt::format("/tmp/faultline-bench-seeds-{}.db", ::getpid());
            std::remove(db_path.c_str());
            auto db = fl::store::RunStore::open(db_path);
            if (!db) std::abort();
            fl::runner::SweepOptions o;
            o.seed_first = 1;
            o.seed_last = seeds;
            o.jobs = 1;
            sw.begin();
            auto report = fl::runner::run_sweep(scenario, db.value(), o);
            sw.end();
            if (!report || report.value().finished != seeds) std::abort();
            failing = report.value().failed;
            std::remove(db_path.c_str());
        });
        result(name, static_cast<double>(seeds) / s, "seeds/s");
        note(fmt::format("{}: {} seeds, 1 job, store on, {:.2f} ms a seed, {} failing (as the scenario expects)", w.file,
                         seeds, s * 1e3 / static_cast<double>(seeds), failing));
    }
}

// ============================================================================================
// [catch rates]
// ============================================================================================

// How often a planted bug shows: of seeds 1..N of its scenario, the share on which a system that
// expects a violation (an [expect] verdict key = false) meets every one of its expectations, and
// the median number of seeds a sweep starting at a random one of them runs until its first catch
// (a sweep that starts on a catching seed counts 1). Not a speed: a figure of the nemesis's aim.
void bench_catch_rates() {
    const std::vector<NamedScenario> planted = {  // catch_rate_<name>
        {"raft_vote_without_persisting", "raft/planted_vote_without_persisting.toml"},
        {"raft_commit_old_term_entries", "raft/planted_commit_old_term_entries.toml"},
        {"raft_vote_without_log_check", "raft/planted_vote_without_log_check.toml"},
        {"primary_backup_naive_two_primaries", "primary_backup/naive_two_primaries.toml"},
        {"dynamo_hints_never_handed_off", "dynamo/planted_hints_never_handed_off.toml"},
        {"dynamo_read_repair_overwrites_newer", "dynamo/planted_read_repair_overwrites_newer.toml"},
        {"crdt_orset_remove_loses_adds", "crdt/orset_planted_bug.toml"},
    };
    const uint64_t seeds = scale(1000, 5);
    for (const auto& p : planted) {
        const std::string name = "catch_rate_" + p.name;
        if (!selected(name)) continue;
        const fl::scenario::Scenario sc = bench_scenario(p.file);
        std::vector<std::string> buggy;  // systems expecting a violation
        for (const auto& sys : sc.systems)
            if (fl::runner::expects_violation(sc, sys.name)) buggy.push_back(sys.name);
        if (buggy.empty()) {
            std::fprintf(stderr, "bench: %s expects no violation\n", p.file.c_str());
            std::abort();
        }
        std::vector<bool> caught(seeds, false);
        const auto start = std::chrono::steady_clock::now();
        for (uint64_t seed = 1; seed <= seeds; ++seed) {
            fl::runner::RunOptions o;
            o.seed = seed;
            o.trace_level = fl::TraceLevel::off;
            o.keep_trace = false;
            const auto run = fl::runner::run_scenario(sc, o);
            bool all = true;
            for (const auto& out : run.systems)
                if (std::find(buggy.begin(), buggy.end(), out.system) != buggy.end())
                    all = all && !out.error && out.expectations_met;
            caught[seed - 1] = all;
        }
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const auto n = static_cast<std::size_t>(std::count(caught.begin(), caught.end(), true));
        // Seeds from each start to the next catch (within the range; a start past the last catch
        // counts as not caught within the range and sorts last).
        std::vector<uint64_t> to_catch;
        uint64_t next = UINT64_MAX;
        for (uint64_t i = seeds; i-- > 0;) {
            if (caught[i]) next = i;
            to_catch.push_back(next == UINT64_MAX ? UINT64_MAX : next - i + 1);
        }
        std::sort(to_catch.begin(), to_catch.end());
        const uint64_t median = to_catch[to_catch.size() / 2];
        result(name, 100.0 * static_cast<double>(n) / static_cast<double>(seeds), "%");
        note(fmt::format("{}: caught on {} of {} seeds; median seeds to the first catch {}; {:.1f} s", p.file, n, seeds,
                         median == UINT64_MAX ? std::string("(none within the range)") : std::to_string(median), wall));
    }
}

}  // namespace

// ============================================================================================
// [main]
// ============================================================================================

int main(int argc, char** argv) {
    CLI::App app{"faultline-bench: the simulation kernel's performance figures (see BENCHMARKS.md)"};
    app.add_flag("--quick", config.quick, "Small sizes, one repetition (the smoke test)");
    app.add_option("--filter", config.filter, "Run only figures whose name contains this text");
    app.add_option("--exclude", config.exclude, "Skip figures whose name contains this text (repeatable)");
    app.add_flag("--simgrid", config.simgrid, "Also run SimGrid on the same workloads and report ratios");
    app.add_option("--reps", config.reps, "Repetitions per figure (the best is reported)")->check(CLI::Range(1, 50));
    CLI11_PARSE(app, argc, argv);
    if (config.quick) config.reps = 1;

    std::printf("faultline-bench%s: best of %d repetition(s); RESULT lines are name value unit\n",
                config.quick ? " --quick" : "", config.reps);
    if (selected("fiber_switch_raw_boost")) bench_raw_switch();
    if (selected("fiber_switch_coroutine")) bench_coroutine_switch();
    if (selected("fiber_switch_kernel") || selected("fiber_sleep0_cycle") || selected("handler_timer0_cycle")) {
        bench_kernel_switch();
    }
    if (selected("fiber_pingpong")) bench_fiber_pingpong();
    if (selected("queue_1k")) bench_queue(1'000, "queue_1k");
    if (selected("queue_100k")) bench_queue(100'000, "queue_100k");
    bench_messages(fl::TraceLevel::off);
    bench_messages(fl::TraceLevel::events);
    if (selected("memory_per_idle_node") || selected("add_node")) bench_node_memory();
    if (selected("trace_event")) bench_trace_memory();
    bench_checker();
    bench_checker_appends();
    bench_seeds();
    bench_catch_rates();
    if (config.simgrid) bench_simgrid();
    return 0;
}
