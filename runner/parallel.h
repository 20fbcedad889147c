// Work over many seeds on worker threads, each item computed by one thread on its own (a run is
// single-threaded in its own World), the results in item order: what a caller gets depends only
// on the items, never on the number of threads. Progress is reported on the calling thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace faultline::runner {

// out[i] = work(i) for i in [0, count), on `jobs` threads (0: one per core). on_progress(done,
// count) is called on the calling thread as items finish.
template <class T>
std::vector<T> map_in_parallel(uint64_t count, unsigned jobs, const std::function<T(uint64_t)>& work,
                               const std::function<void(uint64_t, uint64_t)>& on_progress = {}) {
    std::vector<T> out(count);
    if (count == 0) return out;
    std::atomic<uint64_t> next{0};
    std::mutex mu;
    std::condition_variable cv;
    uint64_t done = 0;
    if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
    jobs = static_cast<unsigned>(std::min<uint64_t>(jobs, count));
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < jobs; ++j) {
        threads.emplace_back([&] {
            for (uint64_t i = next++; i < count; i = next++) {
                T result = work(i);
                std::lock_guard lock(mu);
                out[i] = std::move(result);
                ++done;
                cv.notify_one();
            }
        });
    }
    {
        std::unique_lock lock(mu);
        uint64_t reported = 0;
        while (reported < count) {
            cv.wait(lock, [&] { return done > reported; });
            reported = done;
            if (on_progress) {
                lock.unlock();
                on_progress(reported, count);
                lock.lock();
            }
        }
    }
    for (auto& t : threads) t.join();
    return out;
}

}  // namespace faultline::runner
