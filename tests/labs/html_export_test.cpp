// `faultline export RUN --format html`: one self-contained page with the failing operation, the
// counterexample and the timeline, loaded in a headless browser (Debian's chromium, which
// scripts/test installs) to see that it renders what it should with nothing but the file.
#include "tests/labs/lab_support.h"

#include <fstream>
#include <regex>
#include <sstream>

using namespace faultline;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A failing run of lab 02's starter, stored in `dir`/faultline.db: its id.
std::string failing_run(const fs::path& dir) {
    auto r = test::run_in(dir, test::student_cli, "lab grade 02 --part 2 --seeds 1");
    INFO(r.output);
    REQUIRE(r.exit_code == 1);
    std::smatch m;
    REQUIRE(std::regex_search(r.output, m, std::regex(R"(faultline replay (\d+))")));
    return m[1];
}

}  // namespace

TEST_CASE("export html: a failing run is one self-contained page with its story and timelines", "[labs][export]") {
    auto dir = test::temp_dir("html_export");
    const std::string run = failing_run(dir);
    auto r = test::run_in(dir, test::student_cli, "export " + run + " --format html > page.html");
    REQUIRE(r.exit_code == 0);
    const std::string page = read(dir / "page.html");
    REQUIRE_THAT(page, Catch::StartsWith("<!DOCTYPE html>"));
    REQUIRE_THAT(page, Catch::Contains("no order of these operations on key"));
    REQUIRE_THAT(page, Catch::Contains("id=\"timeline-failure\""));
    REQUIRE_THAT(page, Catch::Contains("faultline replay " + run));
    // Nothing fetched from anywhere: no scripts, stylesheets, images or frames by reference.
    for (const char* outside : {"<script", "<link", "<img", "<iframe", "src=", "https://"})
        REQUIRE_THAT(page, !Catch::Contains(outside));
    REQUIRE_FALSE(std::regex_search(page, std::regex(R"(url\((?!#))")));  // only references inside the page
    // The same run, the same bytes.
    auto again = test::run_in(dir, test::student_cli, "export " + run + " --format html > again.html");
    REQUIRE(again.exit_code == 0);
    REQUIRE(read(dir / "again.html") == page);
    fs::remove_all(dir);
}

TEST_CASE("export html: headless Chromium renders the lanes and the counterexample, offline", "[labs][export][browser]") {
    auto dir = test::temp_dir("html_browser");
    const std::string run = failing_run(dir);
    REQUIRE(test::run_in(dir, test::student_cli, "export " + run + " --format html > page.html").exit_code == 0);
    auto which = test::run_in(dir, "/bin/sh", "-c 'command -v chromium'");
    INFO("Debian's chromium is needed (scripts/test installs it): apt-get install chromium");
    REQUIRE(which.exit_code == 0);
    // --dump-dom prints the page as the browser built it; the screenshot is what a person sees.
    const std::string flags = "--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions "
                              "--host-resolver-rules='MAP * ~NOTFOUND' --window-size=1500,1400";
    auto dom = test::run_in(dir, "chromium", flags + " --dump-dom file://" + (dir / "page.html").string());
    INFO(dom.output.substr(0, 2000));
    REQUIRE(dom.exit_code == 0);
    REQUIRE_THAT(dom.output, Catch::Contains("id=\"counterexample\""));
    REQUIRE_THAT(dom.output, Catch::Contains("the one that cannot be placed"));
    REQUIRE(std::regex_search(dom.output, std::regex(R"(<text[^>]*>n1</text>)")));  // a lane
    REQUIRE(std::regex_search(dom.output, std::regex(R"(<text[^>]*>c1</text>)")));
    auto shot = test::run_in(dir, "chromium", flags + " --screenshot=" + (dir / "page.png").string() + " file://" +
                                                  (dir / "page.html").string());
    INFO(shot.output);
    REQUIRE(shot.exit_code == 0);
    const std::string png = read(dir / "page.png");
    REQUIRE(png.size() > 20'000);  // a drawn page, not a blank one
    REQUIRE(png.substr(1, 3) == "PNG");
    fs::remove_all(dir);
}
