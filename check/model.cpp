// Register, CAS-register and key-value models. See model.h.
#include "check/model.h"

#include <fmt/format.h>

namespace faultline::check {

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
        case Function::append: return kind_ == ModelKind::key_value_map;
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
    }
    CHECKER_ASSERT(false, "Function out of range");
    return {};
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
