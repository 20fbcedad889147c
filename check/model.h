// Model: the sequential specification an operation history is checked against.
//
// A model is an initial state plus step(state, op) -> (legal, next state). The checker decomposes
// every history by key (P-compositionality, Herlihy & Wing 1990 §3.3: a history of independent
// objects is linearizable iff each object's sub-history is), so every model here describes ONE
// key's cell, whose state is a Value (std::nullopt = absent, the initial state):
//
//   register      get, put
//   cas-register  get, put, cas
//   kv            get, put, append, cas, incr, add, remove (the per-key view of a key-value map;
//                 a key used as a counter holds a decimal integer, one used as a set its elements
//                 sorted and joined by ',' with "" the empty set: the form a get returns)
//
// Semantics of step for an operation completed ok (output known):
//   get    legal iff the value read equals the state; state unchanged.
//   put    always legal; state becomes the value.
//   append always legal; state becomes state + value (absent counts as "").
//   cas    if it swapped: legal iff state == expected, state becomes the new value;
//          if the compare failed: legal iff state != expected, state unchanged.
//   incr   always legal on a counter (absent counts as 0): state becomes state + value; on a value
//          that is not an integer it is illegal (a key is one type).
//   add    always legal: the element joins the set (absent counts as the empty set).
//   remove always legal: the element leaves the set; on an absent key nothing changes.
// For an info operation the output is unknown: a get is always legal, a cas swaps exactly when
// state == expected (a compare-and-set is atomic, so the state decides).
//
// States are plain values, hashable and comparable; the search interns them (key_search.h).
// This generic step is also what the brute-force oracle uses, so it is the spec.
#pragma once

#include <optional>
#include <string_view>

#include "check/history.h"

namespace faultline::check {

enum class ModelKind { plain_register, cas_register, key_value_map };

struct StepResult {
    bool legal = false;
    Value next;
};

class Model {
  public:
    static Model plain_register() { return Model(ModelKind::plain_register); }
    static Model cas_register() { return Model(ModelKind::cas_register); }
    static Model key_value_map() { return Model(ModelKind::key_value_map); }

    // "register", "cas-register" (or "cas_register"), "kv" (or "kv-map", "map").
    static std::optional<Model> by_name(std::string_view name);

    ModelKind kind() const { return kind_; }
    std::string_view name() const;
    bool supports(Function f) const;
    Value init() const { return std::nullopt; }
    StepResult step(const Value& state, const Operation& op) const;

  private:
    explicit Model(ModelKind kind) : kind_(kind) {}
    ModelKind kind_;
};

// An error naming the first operation the model cannot interpret (e.g. an append under
// "register"), or std::nullopt when the model supports every operation.
std::optional<InputError> find_unsupported_operation(const std::vector<Operation>& ops, const Model& model);

// The state after an incr, add or remove with `argument` (the delta or the element): the rule
// Model::step applies; illegal for an incr of a value that is not an integer.
StepResult step_update(Function f, const Value& state, const Value& argument);

// The canonical form of a set: elements sorted and joined by ','.
std::string set_value(const std::vector<std::string>& elements);
std::vector<std::string> set_elements(const std::string& value);

}  // namespace faultline::check
