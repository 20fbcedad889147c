// ProtocolCatalog: what the scenario parser needs to know about protocols to validate a file:
// their names and the options each accepts (name, type, default, unit in the name, meaning).
// The real catalog lives in protocols/registry.h; the parser takes it as data, so sim/ does
// not depend on protocols/.
#pragma once

#include "scenario/scenario.h"

#include <string>
#include <vector>

namespace faultline::scenario {

enum class OptionType : uint8_t { integer, real, boolean, string };
std::string_view to_string(OptionType t);

struct OptionSpec {
    std::string name;
    OptionType type = OptionType::integer;
    OptionValue default_value;
    std::string description;
    std::vector<std::string> choices;  // string options: the allowed values (empty: any)
    double min = -1e300, max = 1e300;  // numeric options: the allowed range
};

struct ProtocolSpec {
    std::string name;
    std::string description;
    std::vector<OptionSpec> options;
};

using ProtocolCatalog = std::vector<ProtocolSpec>;

}  // namespace faultline::scenario
