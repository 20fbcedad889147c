// faultline-view: the viewer as a program of its own, with the options of `faultline view`
// (visualizer/view_command.h). The screenshot test runs it under xvfb-run.
#include "visualizer/view_command.h"

int main(int argc, char** argv) {
    CLI::App app{"faultline-view: the Faultline timeline viewer"};
    faultline::view::ViewCommand view(app, /*as_subcommand=*/false);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    return view.run();
}
