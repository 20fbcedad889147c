// brute_force_linearizable. See brute_force.h.
#include "check/brute_force.h"

#include <map>

namespace faultline::check {
namespace {

// State of the whole map: the oracle does not rely on P-compositionality.
using MapState = std::map<std::string, Value>;

bool search(const std::vector<Operation>& ops, std::vector<bool>& done, const MapState& state, const Model& model) {
    bool ok_remaining = false;
    for (std::size_t i = 0; i < ops.size(); ++i) ok_remaining |= !done[i] && ops[i].completion == Completion::ok;
    if (!ok_remaining) return true;  // what is left is info: it may never have happened
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (done[i]) continue;
        bool may_go_next = true;
        for (std::size_t j = 0; j < ops.size(); ++j) {
            if (!done[j] && j != i && ops[j].completion == Completion::ok && ops[j].complete_index < ops[i].invoke_index) {
                may_go_next = false;
            }
        }
        if (!may_go_next) continue;
        auto found = state.find(ops[i].key);
        Value current = found == state.end() ? model.init() : found->second;
        StepResult step = model.step(current, ops[i]);
        if (!step.legal) continue;
        MapState next = state;
        next[ops[i].key] = step.next;
        done[i] = true;
        bool ok = search(ops, done, next, model);
        done[i] = false;
        if (ok) return true;
    }
    return false;
}

}  // namespace

bool brute_force_linearizable(const std::vector<Operation>& ops, const Model& model) {
    std::vector<Operation> happened;
    for (const Operation& op : ops) {
        if (op.completion != Completion::fail) happened.push_back(op);
    }
    CHECKER_ASSERT(happened.size() <= 16, "brute_force_linearizable is exponential: keep histories tiny");
    std::vector<bool> done(happened.size(), false);
    return search(happened, done, MapState{}, model);
}

}  // namespace faultline::check
