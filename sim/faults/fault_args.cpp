#include "sim/faults/fault_args.h"

#include "sim/assert.h"

namespace faultline::faults {

const FaultValue& FaultArgs::at(std::string_view key) const {
    auto it = values_.find(key);
    FL_ASSERT(it != values_.end(), "fault argument {} is missing (the parser requires it)", key);
    return it->second;
}

double FaultArgs::number(std::string_view key) const {
    const auto* v = std::get_if<double>(&at(key));
    FL_ASSERT(v != nullptr, "fault argument {} is not a number", key);
    return *v;
}

const std::string& FaultArgs::text(std::string_view key) const {
    const auto* v = std::get_if<std::string>(&at(key));
    FL_ASSERT(v != nullptr, "fault argument {} is not a name", key);
    return *v;
}

const std::vector<std::string>& FaultArgs::list(std::string_view key) const {
    const auto* v = std::get_if<std::vector<std::string>>(&at(key));
    FL_ASSERT(v != nullptr, "fault argument {} is not a list of names", key);
    return *v;
}

const std::vector<std::vector<std::string>>& FaultArgs::groups(std::string_view key) const {
    const auto* v = std::get_if<std::vector<std::vector<std::string>>>(&at(key));
    FL_ASSERT(v != nullptr, "fault argument {} is not a list of groups", key);
    return *v;
}

void FaultArgs::erase(std::string_view key) {
    auto it = values_.find(key);
    if (it != values_.end()) values_.erase(it);
}

}  // namespace faultline::faults
