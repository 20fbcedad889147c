// Temporary paths for tests: every path names the test process and a counter, so two test
// processes (ctest -j, a release and a sanitizer build, two checkouts) never share one. Tests get
// their temporary files and folders here and nowhere else; the guard test
// ("guard: tests name no fixed temporary path") keeps it so.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace faultline::test {

// Every path handed out, removed (with whatever a test put there) when the test process exits, so
// a suite run leaves nothing in /tmp. Only by the process that asked for them: a forked child
// (which leaves with _exit anyway) never removes its parent's files. FAULTLINE_KEEP_TEMP=1 in the
// environment keeps them, to look at what a failing test wrote.
class TempPaths {
public:
    void add(const std::filesystem::path& p) {
        std::lock_guard lock(mutex_);
        paths_.push_back(p);
    }
    ~TempPaths() {
        if (::getpid() != owner_ || std::getenv("FAULTLINE_KEEP_TEMP") != nullptr) return;
        std::error_code ec;
        for (const auto& p : paths_) {
            std::filesystem::remove_all(p, ec);
            // A SQLite store's companions, when a path named a database.
            for (const char* suffix : {"-wal", "-shm", "-journal"}) std::filesystem::remove(p.string() + suffix, ec);
        }
    }

private:
    pid_t owner_ = ::getpid();
    std::mutex mutex_;
    std::vector<std::filesystem::path> paths_;
};

inline TempPaths& temp_paths() {
    static TempPaths paths;
    return paths;
}

// A path under the system's temporary folder, unique to this process and call:
// /tmp/faultline_<name>_<pid>_<n>. Nothing is created; an old file of that name is removed, and
// whatever is there when the process exits is removed too (TempPaths).
inline std::filesystem::path unique_temp_path(const std::string& name) {
    static std::atomic<int> counter{0};
    auto path = std::filesystem::temp_directory_path() /
                ("faultline_" + name + "_" + std::to_string(static_cast<long>(::getpid())) + "_" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    temp_paths().add(path);
    return path;
}

}  // namespace faultline::test
