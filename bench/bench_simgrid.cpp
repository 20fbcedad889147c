// The SimGrid side of faultline-bench; see bench_simgrid.h.
//
// Platform: one host in a full zone, every actor on it, network model Constant (every
// communication takes the same simulated time, no bandwidth sharing to solve), so the engine
// does the least work SimGrid can do per message: this is SimGrid at its fastest, not a
// realistic SimGrid platform. Logging is silenced and actor stacks are 128 KiB (as ours).
#include "bench/bench_simgrid.h"

#include <simgrid/s4u.hpp>
#include <simgrid/version.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace faultline::bench {

namespace {

// Runs in the child: builds the engine and the workload, returns messages per second.
double run_in_child(const std::string& factory, SimgridWorkload workload, uint32_t nodes, uint64_t messages) {
    std::vector<std::string> args = {"faultline-bench-simgrid", "--cfg=contexts/factory:" + factory,
                                     "--cfg=network/model:Constant", "--cfg=contexts/stack-size:128",
                                     "--log=root.thresh:critical"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int argc = static_cast<int>(args.size());
    sg4::Engine engine(&argc, argv.data());
    auto* zone = sg4::create_full_zone("bench");
    sg4::Host* host = zone->create_host("host", 1e9);
    zone->seal();

    static int token = 0;  // the payload pointer; its content is never read
    if (workload == SimgridWorkload::pingpong) {
        uint64_t round_trips = messages / 2;
        sg4::Actor::create("a", host, [round_trips] {
            auto* mine = sg4::Mailbox::by_name("a");
            auto* peer = sg4::Mailbox::by_name("b");
            for (uint64_t i = 0; i < round_trips; ++i) {
                peer->put(&token, 64);
                mine->get<int>();
            }
        });
        sg4::Actor::create("b", host, [round_trips] {
            auto* mine = sg4::Mailbox::by_name("b");
            auto* peer = sg4::Mailbox::by_name("a");
            for (uint64_t i = 0; i < round_trips; ++i) {
                mine->get<int>();
                peer->put(&token, 64);
            }
        });
    } else {
        uint64_t hops = messages / nodes;
        for (uint32_t i = 0; i < nodes; ++i) {
            std::string me = "n" + std::to_string(i);
            std::string next = "n" + std::to_string((i + 1) % nodes);
            sg4::Actor::create(me, host, [me, next, hops] {
                auto* mine = sg4::Mailbox::by_name(me);
                auto* peer = sg4::Mailbox::by_name(next);
                for (uint64_t h = 0; h < hops; ++h) {
                    auto comm = peer->put_async(&token, 64);
                    mine->get<int>();
                    comm->wait();
                }
            });
        }
    }
    auto t0 = std::chrono::steady_clock::now();
    engine.run();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t done = workload == SimgridWorkload::pingpong ? (messages / 2) * 2 : (messages / nodes) * nodes;
    return static_cast<double>(done) / s;
}

}  // namespace

std::string simgrid_version() {
    return std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR);
}

std::optional<double> simgrid_run(const std::string& factory, SimgridWorkload workload, uint32_t nodes,
                                  uint64_t messages) {
    int fds[2];
    if (pipe(fds) != 0) return std::nullopt;
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return std::nullopt;
    if (pid == 0) {
        close(fds[0]);
        // SimGrid may print on failure; keep the parent's stdout clean of anything but results.
        if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(3);
        double rate = run_in_child(factory, workload, nodes, messages);
        ssize_t w = write(fds[1], &rate, sizeof rate);
        _exit(w == static_cast<ssize_t>(sizeof rate) ? 0 : 2);
    }
    close(fds[1]);
    double rate = 0;
    ssize_t r = read(fds[0], &rate, sizeof rate);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (r != static_cast<ssize_t>(sizeof rate) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
    return rate;
}

std::string simgrid_pick_factory() {
    for (const char* f : {"raw", "ucontext", "thread"}) {
        if (simgrid_run(f, SimgridWorkload::pingpong, 2, 2)) return f;
    }
    return {};
}

}  // namespace faultline::bench
