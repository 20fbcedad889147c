// FaultArgs: a fault's parameters as a scenario writes them, key -> value, before node names
// become node ids: numbers, names (nodes, shapes, latency models), lists of node names and groups
// of them (a partition's sides). The fault kind table (fault_kind.h) says which keys each kind
// takes and turns them into the kernel's typed fault.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace faultline::faults {

using FaultValue = std::variant<double, std::string, std::vector<std::string>, std::vector<std::vector<std::string>>>;

class FaultArgs {
public:
    bool has(std::string_view key) const { return values_.find(key) != values_.end(); }
    // Typed reads of a present key (asserts it is there and of that type: the parser checked).
    double number(std::string_view key) const;
    const std::string& text(std::string_view key) const;
    const std::vector<std::string>& list(std::string_view key) const;
    const std::vector<std::vector<std::string>>& groups(std::string_view key) const;
    // With a default when absent.
    double number_or(std::string_view key, double otherwise) const { return has(key) ? number(key) : otherwise; }

    void set(std::string key, FaultValue value) { values_[std::move(key)] = std::move(value); }
    void erase(std::string_view key);
    const std::map<std::string, FaultValue, std::less<>>& values() const { return values_; }
    bool empty() const { return values_.empty(); }
    bool operator==(const FaultArgs&) const = default;

private:
    const FaultValue& at(std::string_view key) const;
    std::map<std::string, FaultValue, std::less<>> values_;
};

}  // namespace faultline::faults
