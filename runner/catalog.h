// The catalog the scenario parser validates files against (scenario/catalog.h): the registered
// protocols' specs (protocols/plugin/registry.h) and the registered checkers' specs
// (runner/checkers/checker_entry.h). Built once.
#pragma once

#include "scenario/catalog.h"

namespace faultline::runner {

const scenario::Catalog& catalog();

}  // namespace faultline::runner
