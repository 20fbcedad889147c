// Temporary paths for tests: every path names the test process and a counter, so two test
// processes (ctest -j, a release and a sanitizer build, two checkouts) never share one. Tests get
// their temporary files and folders here and nowhere else; the guard test
// ("guard: tests name no fixed temporary path") keeps it so.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace faultline::test {

// A path under the system's temporary folder, unique to this process and call:
// /tmp/faultline_<name>_<pid>_<n>. Nothing is created; an old file of that name is removed.
inline std::filesystem::path unique_temp_path(const std::string& name) {
    static std::atomic<int> counter{0};
    auto path = std::filesystem::temp_directory_path() /
                ("faultline_" + name + "_" + std::to_string(static_cast<long>(::getpid())) + "_" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    return path;
}

}  // namespace faultline::test
