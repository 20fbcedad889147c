// Correctness of replicated counters, sets and registers (state-based CRDTs): once the replicas
// agree, the value they agree on must be the merge of every update that was applied. The history
// says which updates were applied only partly (ok: applied; fail: never; info: maybe, at any time
// after its invocation), and says nothing of which replica saw what, so each rule below is what
// real-time order alone proves, stated so that a correct store never breaks it:
//
//   counters   (keys with incr) the final value v of a key satisfies
//                sum(ok) + sum(info < 0) <= v <= sum(ok) + sum(info > 0)
//              over the increments of the key (fail ones never happened; an absent key is 0).
//   sets       (keys with add or remove), add-wins semantics, per element e:
//              - e is in the final set only if some add of e completed ok or info;
//              - e must be in the final set if some add a of e completed ok and every remove of e
//                that may have happened (ok or info) completed before a was invoked. Why: in an
//                add-wins observed-remove set, e leaves only when every tag of e is removed, and a
//                tag is removed only by an update that observed it (a remove, or an add that
//                replaces it with its own tag); by induction the last tag of the chain starting
//                at a's tag goes by a remove that ran after a ran, so it completed (or, info,
//                never completed) after a was invoked. A remove that finished before a began
//                cannot have seen a's tag.
//              A set whose concurrent adds lose to removes (remove-wins, or tombstones by
//              element) breaks the second rule as soon as an add on one side of a partition
//              follows the last remove on the other.
//   registers  (keys with put, none of the above) every final value (each sibling) was written
//              by some put that completed ok or info, and a key some put completed ok on is not
//              empty.
//
// Judged only when every server is up and the replicas hold the same values (a down or lagging
// replica may still hold an update the others lack): otherwise the verdict is unknown, with the
// reason. A disk that loses data (a wipe) can lose acknowledged updates: that is a violation
// here, rightly, since the value is no longer what the updates make it.
#include "runner/checkers/checker_entry.h"

#include "check/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace faultline::runner {

namespace {

using check::Completion;
using check::Function;
using check::Operation;

std::string op_text(const Operation& op) {
    return fmt::format("#{} {} {} {} ({})", op.id, check::to_string(op.f), op.key, op.value.value_or(""),
                       check::to_string(op.completion));
}

std::optional<int64_t> integer(const std::string& text) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return n;
}

struct Judgement {
    std::vector<Finding> findings;
    int counters = 0, sets = 0, registers = 0;
    void find(std::string detail, int64_t time_ns) {
        if (findings.size() < 100) findings.push_back({"crdt_anomaly", std::move(detail), Instant::from_ns(time_ns), no_event});
    }
};

int64_t end_ns(const Operation& op) { return op.complete_time_ns; }  // time_never unless ok or fail

void judge_counter(const std::string& key, const std::vector<const Operation*>& ops, const std::vector<std::string>* final_values,
                   int64_t now_ns, Judgement& j) {
    ++j.counters;
    int64_t ok = 0, maybe_down = 0, maybe_up = 0;
    for (const Operation* op : ops) {
        if (op->f != Function::incr || op->completion == Completion::fail) continue;
        const std::optional<int64_t> d = integer(op->value.value_or(""));
        if (!d) continue;  // the store refused it (fail): never happened
        if (op->completion == Completion::ok) ok += *d;
        else (*d < 0 ? maybe_down : maybe_up) += *d;
    }
    const std::string shown = final_values == nullptr ? "absent" : fmt::format("{}", fmt::join(*final_values, "|"));
    std::optional<int64_t> v = int64_t{0};
    if (final_values != nullptr) v = final_values->size() == 1 ? integer(final_values->front()) : std::nullopt;
    if (!v) return j.find(fmt::format("counter {} holds {}, not one integer", key, shown), now_ns);
    if (*v < ok + maybe_down || *v > ok + maybe_up)
        j.find(fmt::format("counter {} is {}, but the increments make it between {} and {} (ok ones sum to {}; those that "
                           "timed out may add {} to {})",
                           key, *v, ok + maybe_down, ok + maybe_up, ok, maybe_down, maybe_up),
               now_ns);
}

void judge_set(const std::string& key, const std::vector<const Operation*>& ops, const std::vector<std::string>* final_values,
               int64_t now_ns, Judgement& j) {
    ++j.sets;
    if (final_values != nullptr && final_values->size() != 1)
        return j.find(fmt::format("set {} holds {} values, not one", key, final_values->size()), now_ns);
    const std::vector<std::string> elements = final_values ? check::set_elements(final_values->front()) : std::vector<std::string>{};
    const std::set<std::string> present(elements.begin(), elements.end());
    std::map<std::string, int64_t> last_remove_end;   // element -> the latest end of a remove that may have happened
    std::map<std::string, const Operation*> last_add; // element -> its ok add invoked last
    std::set<std::string> added;                      // elements some ok or info add added
    for (const Operation* op : ops) {
        if (op->completion == Completion::fail) continue;
        const std::string e = op->value.value_or("");
        if (op->f == Function::remove) last_remove_end[e] = std::max(last_remove_end[e], end_ns(*op));
        if (op->f != Function::add) continue;
        added.insert(e);
        const Operation*& last = last_add[e];
        if (op->completion == Completion::ok && (last == nullptr || last->invoke_time_ns < op->invoke_time_ns)) last = op;
    }
    for (const std::string& e : present)
        if (!added.count(e)) j.find(fmt::format("set {} holds {}, which no add added", key, e), now_ns);
    for (const auto& [e, add] : last_add) {
        if (add == nullptr || present.count(e)) continue;
        auto r = last_remove_end.find(e);
        if (r != last_remove_end.end() && r->second >= add->invoke_time_ns) continue;  // a remove may have seen it
        j.find(fmt::format("set {} lacks {}: add {} began at {:.3f} s, after every remove of {} had completed{}, so "
                           "add-wins keeps it",
                           key, e, op_text(*add), static_cast<double>(add->invoke_time_ns) / 1e9, e,
                           r == last_remove_end.end() ? " (there was none)" : fmt::format(" (the last at {:.3f} s)", static_cast<double>(r->second) / 1e9)),
               add->complete_time_ns);
    }
}

void judge_register(const std::string& key, const std::vector<const Operation*>& ops, const std::vector<std::string>* final_values,
                    int64_t now_ns, Judgement& j) {
    ++j.registers;
    std::set<std::string> written;
    const Operation* acknowledged = nullptr;
    for (const Operation* op : ops) {
        if (op->f != Function::put || op->completion == Completion::fail) continue;
        written.insert(op->value.value_or(""));
        if (op->completion == Completion::ok) acknowledged = op;
    }
    if (final_values == nullptr || final_values->empty()) {
        if (acknowledged) j.find(fmt::format("register {} is empty, but put {} was acknowledged", key, op_text(*acknowledged)), now_ns);
        return;
    }
    for (const std::string& v : *final_values)
        if (!written.count(v)) j.find(fmt::format("register {} holds {}, which no put wrote", key, v), now_ns);
}

// Why the run cannot be judged ("" when it can): a server down, or replicas that disagree.
std::string not_judged(const SystemRun& run, const std::vector<plugin::ReplicaState>& states) {
    for (NodeId id : run.built.servers)
        if (!run.cluster.is_up(id)) return fmt::format("{} is down at the end: it may hold updates the others lack", run.cluster.node_name(id));
    if (states.empty()) return "no replica reports a state";
    for (const plugin::ReplicaState& s : states)
        if (s.values != states.front().values)
            return fmt::format("the replicas have not converged ({} and {} differ)", run.cluster.node_name(states.front().node),
                               run.cluster.node_name(s.node));
    return {};
}

CheckOutcome check(const SystemRun& run) {
    FL_ASSERT(run.built.replica_states != nullptr, "protocol {} reports no replica states", run.protocol.spec.name);
    const std::vector<plugin::ReplicaState> states = run.built.replica_states(run.cluster);
    CheckOutcome out;
    if (const std::string why = not_judged(run, states); !why.empty()) {
        out.verdicts.emplace_back("crdt_correctness", "unknown");
        out.summary = "not judged: " + why;
        return out;
    }
    const auto& final_state = states.front().values;
    std::map<std::string, std::vector<const Operation*>> by_key;
    for (const Operation& op : run.ops) by_key[op.key].push_back(&op);
    const int64_t now_ns = run.cluster.now().ns();
    Judgement j;
    for (const auto& [key, ops] : by_key) {
        std::set<Function> used;
        for (const Operation* op : ops) used.insert(op->f);
        auto it = final_state.find(key);
        const std::vector<std::string>* values = it == final_state.end() ? nullptr : &it->second;
        if (used.count(Function::incr)) judge_counter(key, ops, values, now_ns, j);
        else if (used.count(Function::add) || used.count(Function::remove)) judge_set(key, ops, values, now_ns, j);
        else if (used.count(Function::put)) judge_register(key, ops, values, now_ns, j);
    }
    const bool ok = j.findings.empty();
    out.verdicts.emplace_back("crdt_correctness", ok ? "ok" : "violation");
    out.details["judged"] = {{"counters", j.counters}, {"sets", j.sets}, {"registers", j.registers}};
    out.summary = ok ? fmt::format("ok ({} counters, {} sets, {} registers)", j.counters, j.sets, j.registers)
                     : fmt::format("WRONG: {}{}", j.findings.front().detail,
                                   j.findings.size() > 1 ? fmt::format(" (and {} more)", j.findings.size() - 1) : "");
    out.findings = std::move(j.findings);
    if (!out.findings.empty()) out.details["findings"] = findings_json(out.findings);
    return out;
}

}  // namespace

CheckerEntry crdt_correctness_checker() {
    scenario::CheckerSpec s;
    s.name = "crdt_correctness";
    s.description = "once the replicas agree, each counter, set and register holds what the applied updates make it";
    s.reads = "history + final replica states";
    s.verdicts = {{"crdt_correctness", "crdt_correct",
                   "true: every converged value agrees with the updates; false: one does not (unknown: not converged)"}};
    s.applies = [](const scenario::ProtocolSpec& p) {
        const auto serves = [&](std::string_view op) { return std::find(p.operations.begin(), p.operations.end(), op) != p.operations.end(); };
        return p.reports_replica_states && (serves("incr") || serves("add"));
    };
    return {s, check, {}};
}

}  // namespace faultline::runner
