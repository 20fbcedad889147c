#include "scenario/catalog.h"

namespace faultline::scenario {

std::string_view to_string(OptionType t) {
    switch (t) {
        case OptionType::integer: return "integer";
        case OptionType::real: return "real";
        case OptionType::boolean: return "boolean";
        case OptionType::string: return "string";
    }
    return "unknown";
}

}  // namespace faultline::scenario
