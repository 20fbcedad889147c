// SystemRun's shared, built-once views of a run (checker_entry.h).
#include "runner/checkers/checker_entry.h"

namespace faultline::runner {

const check::RegisterOrder& SystemRun::register_order() const {
    if (!register_order_built) register_order_built = std::make_unique<const check::RegisterOrder>(ops, siblings);
    return *register_order_built;
}

}  // namespace faultline::runner
