// Protocol options: how a plug-in declares them (int_option, ...) and reads the values a scenario
// gave (Options). The scenario parser has already checked every value against its spec (type,
// range, choices) and the protocol's cross-option check, so reads here cannot fail on input; a
// read of an undeclared option or of the wrong type is a bug in the plug-in and asserts.
#pragma once

#include "scenario/catalog.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace faultline::plugin {

using scenario::OptionSpec;
using scenario::OptionValues;

OptionSpec int_option(std::string name, int64_t default_value, std::string description, double min = 0, double max = 1e9);
OptionSpec real_option(std::string name, double default_value, std::string description, double min = -1e300,
                       double max = 1e300);
OptionSpec bool_option(std::string name, bool default_value, std::string description);
OptionSpec string_option(std::string name, std::string default_value, std::string description,
                         std::vector<std::string> choices);

// A string option naming one of `choices` (the first is the default), and the value it names:
// e.g. a lab reference's `mistake`, from "none" to each typical partial solution.
template <class T>
OptionSpec choice_option(std::string name, const std::vector<std::pair<std::string, T>>& choices, std::string description) {
    std::vector<std::string> names;
    for (const auto& c : choices) names.push_back(c.first);
    return string_option(std::move(name), names.front(), std::move(description), names);
}

// The values of one system's options: what the scenario gave, else each spec's default.
class Options {
public:
    Options(const std::vector<OptionSpec>& specs, const OptionValues& given) : specs_(&specs), given_(&given) {}
    int64_t integer(const std::string& name) const;
    double real(const std::string& name) const;
    bool boolean(const std::string& name) const;
    std::string string(const std::string& name) const;
    // Whether the scenario wrote this option (rather than leaving the default).
    bool given(const std::string& name) const { return given_->count(name) != 0; }

private:
    const scenario::OptionValue& value(const std::string& name) const;
    const std::vector<OptionSpec>* specs_;
    const OptionValues* given_;
};

// For a store whose gets wait for `r` replies and puts for `w` acknowledgements (options of those
// names): each that is above the cluster's `servers`, which no request could ever gather. Blames
// the quorum; `servers` 0 (a cluster that did not parse) finds nothing.
std::vector<scenario::OptionError> quorums_above_cluster(const Options& options, int servers);

template <class T>
T chosen(const Options& options, const std::string& name, const std::vector<std::pair<std::string, T>>& choices) {
    const std::string value = options.string(name);
    for (const auto& c : choices)
        if (c.first == value) return c.second;
    return choices.front().second;  // the parser admits only the choices
}

}  // namespace faultline::plugin
