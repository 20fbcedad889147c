// Register, CAS-register and key-value models. See model.h.
#include "check/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace faultline::check {

namespace {
bool parse_integer(const std::string& text, int64_t& out) {
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && p == end;
}
}  // namespace


std::optional<Model> Model::by_name(std::string_view name) {
    if (name == "register") return plain_register();
    if (name == "cas-register" || name == "cas_register") return cas_register();
    if (name == "kv" || name == "kv-map" || name == "map") return key_value_map();
    return std::nullopt;
}

std::string_view Model::name() const {
    switch (kind_) {
        case ModelKind::plain_register: return "register";
        case ModelKind::cas_register: return "cas-register";
        case ModelKind::key_value_map: return "kv";
    }
    CHECKER_ASSERT(false, "ModelKind out of range");
    return "";
}

bool Model::supports(Function f) const {
    switch (f) {
        case Function::get:
        case Function::put: return true;
        case Function::cas: return kind_ != ModelKind::plain_register;
        case Function::append:
        case Function::incr:
        case Function::add:
        case Function::remove: return kind_ == ModelKind::key_value_map;
    }
    return false;
}

StepResult Model::step(const Value& state, const Operation& op) const {
    CHECKER_ASSERT(supports(op.f), "Model::step on an operation the model does not support; validate first");
    CHECKER_ASSERT(op.completion != Completion::fail, "Model::step on a failed operation: it did not happen");
    switch (op.f) {
        case Function::get:
            if (!op.output_known()) return {true, state};
            return {op.output == state, state};
        case Function::put: return {true, op.value};
        case Function::append: return {true, state.value_or(std::string()) + op.value.value_or(std::string())};
        case Function::cas: {
            bool matches = state == op.expected;
            if (!op.output_known()) return {true, matches ? op.value : state};
            if (op.cas_swapped) return {matches, matches ? op.value : state};
            return {!matches, state};
        }
        case Function::incr:
        case Function::add:
        case Function::remove: return step_update(op.f, state, op.value);
    }
    CHECKER_ASSERT(false, "Function out of range");
    return {};
}

StepResult step_update(Function f, const Value& state, const Value& argument) {
    if (f == Function::incr) {
        int64_t now = 0, delta = 0;
        if (state && !parse_integer(*state, now)) return {false, state};
        if (!argument || !parse_integer(*argument, delta)) return {false, state};
        return {true, std::to_string(now + delta)};
    }
    CHECKER_ASSERT(f == Function::add || f == Function::remove, "step_update of an operation that is no update");
    if (!state && f == Function::remove) return {true, state};
    std::vector<std::string> elements = state ? set_elements(*state) : std::vector<std::string>{};
    const std::string e = argument.value_or(std::string());
    auto at = std::lower_bound(elements.begin(), elements.end(), e);
    const bool present = at != elements.end() && *at == e;
    if (f == Function::add && !present) elements.insert(at, e);
    if (f == Function::remove && present) elements.erase(at);
    return {true, set_value(elements)};
}

std::string set_value(const std::vector<std::string>& elements) {
    std::string out;
    for (std::size_t i = 0; i < elements.size(); ++i) out += (i ? "," : "") + elements[i];
    return out;
}

std::vector<std::string> set_elements(const std::string& value) {
    std::vector<std::string> out;
    if (value.empty()) return out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = value.find(',', start);
        out.push_back(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::optional<InputError> find_unsupported_operation(const std::vector<Operation>& ops, const Model& model) {
    for (const Operation& op : ops) {
        if (!model.supports(op.f)) {
            return InputError{"", 0, 0,
                              fmt::format("operation #{} (event {}, process {}) is a {}, which the {} model does not "
                                          "support; try --model kv",
                                          op.id, op.invoke_index, op.process, to_string(op.f), model.name())};
        }
    }
    return std::nullopt;
}

}  // namespace faultline::check
