// The determinism guard (TigerBeetle's tidy): simulation and protocol code must not reach for
// wall clocks, OS randomness, threads or std:: distributions, and protocols must talk to the world
// only through sim/node.h. Method: scan the source text; a hit names the file and line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
struct Hit {
    std::string where;
    std::string what;
};

std::vector<Hit> scan(const fs::path& root, const std::vector<std::string>& banned) {
    std::vector<Hit> hits;
    if (!fs::exists(root)) return hits;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp" && ext != ".hpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            for (const auto& word : banned)
                if (line.find(word) != std::string::npos)
                    hits.push_back({entry.path().string() + ":" + std::to_string(n), word});
        }
    }
    return hits;
}

// Spelled in pieces so this file does not trip its own scan if it is ever moved under sim/.
const std::vector<std::string> banned_everywhere = {
    std::string("system_") + "clock", std::string("steady_") + "clock", std::string("high_resolution_") + "clock",
    std::string("random_") + "device", std::string(" rand") + "(", std::string("std::") + "rand(",
    std::string("std::") + "thread", std::string("std::") + "jthread", std::string("std::") + "async",
    std::string("pthread_") + "create", std::string("_distribution<"),
    std::string("std::uniform_int_") + "distribution", std::string("std::uniform_real_") + "distribution",
    std::string("std::normal_") + "distribution", std::string("std::bernoulli_") + "distribution",
    std::string("std::exponential_") + "distribution", std::string("std::poisson_") + "distribution",
    std::string("std::discrete_") + "distribution", std::string("std::geometric_") + "distribution",
    std::string("time(") + "nullptr", std::string("gettimeof") + "day", std::string("clock_") + "gettime",
    std::string("std::") + "mt19937", std::string("std::") + "default_random_engine"};
}  // namespace

TEST_CASE("guard: sim/ and protocols/ use no wall clock, OS randomness, threads or std distributions", "[guard]") {
    for (const char* dir : {"sim", "protocols"}) {
        for (const auto& hit : scan(fs::path(FAULTLINE_SOURCE_DIR) / dir, banned_everywhere)) {
            FAIL_CHECK(hit.where << " uses " << hit.what);
        }
    }
}

TEST_CASE("guard: the guard itself catches a planted violation", "[guard]") {
    auto dir = fs::temp_directory_path() / "faultline_guard_probe";
    fs::create_directories(dir);
    std::ofstream(dir / "bad.cpp") << "auto t = std::chrono::" << "system_" << "clock::now();\n";
    auto hits = scan(dir, banned_everywhere);
    fs::remove_all(dir);
    REQUIRE(hits.size() == 1);
}

TEST_CASE("guard: protocols include only the node API from sim/", "[guard]") {
    auto hits = scan(fs::path(FAULTLINE_SOURCE_DIR) / "protocols",
                     {"sim/world.h", "sim/world_internal.h", "sim/event_queue.h"});
    for (const auto& hit : hits) FAIL_CHECK(hit.where << " includes kernel internals: " << hit.what);
}

TEST_CASE("guard: no test name contains a semicolon, which CTest would split into empty tests", "[guard]") {
    std::string marker = std::string("TEST_") + "CASE(\"";
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(FAULTLINE_SOURCE_DIR) / "tests")) {
        if (entry.path().extension() != ".cpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            auto at = line.find(marker);
            if (at == std::string::npos) continue;
            auto end = line.find('"', at + marker.size());
            if (line.substr(at, end - at).find(';') != std::string::npos)
                FAIL_CHECK(entry.path().string() << ":" << n << " has a ';' in its test name");
        }
    }
}
