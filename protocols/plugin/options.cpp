#include "protocols/plugin/options.h"

#include "sim/assert.h"

#include <fmt/format.h>

namespace faultline::plugin {

OptionSpec int_option(std::string name, int64_t default_value, std::string description, double min, double max) {
    OptionSpec s;
    s.name = std::move(name);
    s.type = scenario::OptionType::integer;
    s.default_value = default_value;
    s.description = std::move(description);
    s.min = min;
    s.max = max;
    return s;
}

OptionSpec real_option(std::string name, double default_value, std::string description, double min, double max) {
    OptionSpec s;
    s.name = std::move(name);
    s.type = scenario::OptionType::real;
    s.default_value = default_value;
    s.description = std::move(description);
    s.min = min;
    s.max = max;
    return s;
}

OptionSpec bool_option(std::string name, bool default_value, std::string description) {
    OptionSpec s;
    s.name = std::move(name);
    s.type = scenario::OptionType::boolean;
    s.default_value = default_value;
    s.description = std::move(description);
    return s;
}

OptionSpec string_option(std::string name, std::string default_value, std::string description,
                         std::vector<std::string> choices) {
    OptionSpec s;
    s.name = std::move(name);
    s.type = scenario::OptionType::string;
    s.default_value = std::move(default_value);
    s.description = std::move(description);
    s.choices = std::move(choices);
    return s;
}

const scenario::OptionValue& Options::value(const std::string& name) const {
    auto it = given_->find(name);
    if (it != given_->end()) return it->second;
    for (const OptionSpec& s : *specs_)
        if (s.name == name) return s.default_value;
    FL_ASSERT(false, "no option {} is declared: add it to the plug-in's option specs", name);
    return specs_->front().default_value;
}

int64_t Options::integer(const std::string& name) const {
    const auto& v = value(name);
    if (const auto* i = std::get_if<int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
    FL_ASSERT(false, "option {} is not a number", name);
    return 0;
}

double Options::real(const std::string& name) const {
    const auto& v = value(name);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    FL_ASSERT(false, "option {} is not a number", name);
    return 0;
}

bool Options::boolean(const std::string& name) const {
    const auto* b = std::get_if<bool>(&value(name));
    FL_ASSERT(b != nullptr, "option {} is not a boolean", name);
    return *b;
}

std::string Options::string(const std::string& name) const {
    const auto* s = std::get_if<std::string>(&value(name));
    FL_ASSERT(s != nullptr, "option {} is not a string", name);
    return *s;
}

std::vector<scenario::OptionError> quorums_above_cluster(const Options& options, int servers) {
    struct Quorum {
        const char* option;
        const char* request;
        const char* answers;
    };
    std::vector<scenario::OptionError> errors;
    if (servers <= 0) return errors;
    for (const Quorum& q : {Quorum{"r", "get", "replies"}, Quorum{"w", "put", "acknowledgements"}})
        if (options.integer(q.option) > servers)
            errors.push_back({q.option, fmt::format("{} ({}) is above the cluster's {} servers: no {} could ever gather "
                                                    "that many {}",
                                                    q.option, options.integer(q.option), servers, q.request, q.answers)});
    return errors;
}

}  // namespace faultline::plugin
