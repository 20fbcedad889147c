#include "check/register_order.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <limits>

namespace faultline::check {

namespace {

bool contains(const std::vector<std::string>& values, const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

std::string listed(const std::vector<std::string>& values) {
    return values.empty() ? std::string("nothing") : fmt::format("{}", fmt::join(values, " | "));
}

}  // namespace

RegisterOrder::RegisterOrder(const std::vector<Operation>& ops, const std::map<OpId, std::vector<std::string>>& siblings)
    : ops_(ops), siblings_(siblings) {
    for (const Operation& op : ops) {
        auto it = register_key_.try_emplace(op.key, true).first;
        if (op.f != Function::get && op.f != Function::put) it->second = false;
        if (op.f == Function::put && op.value && op.completion != Completion::fail)
            writer_[{std::string_view(op.key), std::string_view(*op.value)}] = &op;
    }
    for (const Operation& op : ops) {
        if (!is_register_key(op.key) || op.completion != Completion::ok) continue;
        (op.f == Function::put ? puts_ : gets_).push_back(&op);
    }
}

bool RegisterOrder::is_register_key(const std::string& key) const {
    auto it = register_key_.find(key);
    return it != register_key_.end() && it->second;
}

std::vector<std::string> RegisterOrder::values_read(const Operation& get) const {
    if (auto it = siblings_.find(get.id); it != siblings_.end()) return it->second;
    if (get.output) return {*get.output};
    return {};
}

const Operation* RegisterOrder::writer(const std::string& key, const std::string& value) const {
    auto it = writer_.find({std::string_view(key), std::string_view(value)});
    return it == writer_.end() ? nullptr : it->second;
}

bool RegisterOrder::precedes(const Operation& a, const Operation& b) {
    return a.completion == Completion::ok && a.complete_time_ns < b.invoke_time_ns;
}

std::vector<RegisterAnomaly> stale_reads(const RegisterOrder& order) {
    // Per key, the ok puts by completion time, and the latest invocation among the first i of
    // them: a value whose put completed before that invocation was superseded by then.
    struct Done {
        std::int64_t complete, invoke;
        const Operation* op;
    };
    std::map<std::string, std::vector<Done>> done;
    for (const Operation* p : order.puts()) done[p->key].push_back({p->complete_time_ns, p->invoke_time_ns, p});
    std::map<std::string, std::vector<std::int64_t>> latest_invoke;
    for (auto& [key, list] : done) {
        std::sort(list.begin(), list.end(), [](const Done& a, const Done& b) { return a.complete < b.complete; });
        auto& prefix = latest_invoke[key];
        std::int64_t m = std::numeric_limits<std::int64_t>::min();
        for (const Done& d : list) prefix.push_back(m = std::max(m, d.invoke));
    }
    std::vector<RegisterAnomaly> out;
    for (const Operation* r : order.gets()) {
        auto it = done.find(r->key);
        if (it == done.end()) continue;
        const auto& list = it->second;
        // The puts acknowledged before the read began: list[0, n).
        const auto n = static_cast<std::size_t>(
            std::lower_bound(list.begin(), list.end(), r->invoke_time_ns, [](const Done& d, std::int64_t t) { return d.complete < t; }) -
            list.begin());
        if (n == 0) continue;
        const std::int64_t newest_invoke = latest_invoke.at(r->key)[n - 1];
        // A read value's put completed at `c` (absent: before time began); superseded when some put
        // acknowledged before the read was invoked after c.
        std::int64_t freshest = std::numeric_limits<std::int64_t>::min();
        bool judged = true;
        const std::vector<std::string> values = order.values_read(*r);
        for (const std::string& v : values) {
            const Operation* w = order.writer(r->key, v);
            if (w == nullptr || w->completion != Completion::ok) judged = false;  // unknown writer, or an info put
            else freshest = std::max(freshest, w->complete_time_ns);
        }
        if (!judged || freshest >= newest_invoke) continue;
        // The first put that superseded it: the earliest completion among the puts invoked after it.
        const Operation* by = nullptr;
        int superseding = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (list[i].invoke <= freshest) continue;
            ++superseding;
            if (by == nullptr || list[i].complete < by->complete_time_ns) by = list[i].op;
        }
        RegisterAnomaly a;
        a.kind = "stale_read";
        a.op = r->id;
        a.because = by->id;
        a.time_ns = r->invoke_time_ns;
        a.behind_ms = static_cast<double>(r->invoke_time_ns - by->complete_time_ns) / 1e6;
        a.versions_behind = superseding;
        a.detail = fmt::format("get {} by p{} returned {}, but put {} {} was acknowledged {:.1f} ms before the get began "
                               "({} newer put(s) acknowledged by then)",
                               r->key, r->process, listed(values), r->key, *by->value, a.behind_ms, superseding);
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<RegisterAnomaly> lost_puts(const RegisterOrder& order, const std::map<std::string, std::vector<std::string>>& final_values) {
    static const std::vector<std::string> none;
    std::vector<RegisterAnomaly> out;
    for (const Operation* p : order.puts()) {
        auto it = final_values.find(p->key);
        const std::vector<std::string>& survived = it == final_values.end() ? none : it->second;
        if (contains(survived, *p->value)) continue;
        bool overwritten_by_older = true;
        for (const std::string& v : survived) {
            const Operation* w = order.writer(p->key, v);
            if (w == nullptr || !RegisterOrder::precedes(*w, *p)) overwritten_by_older = false;
        }
        if (!overwritten_by_older) continue;
        RegisterAnomaly a;
        a.kind = "lost_put";
        a.op = p->id;
        a.time_ns = p->complete_time_ns;
        a.detail = fmt::format("put {} {} by p{} was acknowledged, but the key ends holding {}, written before it began",
                               p->key, *p->value, p->process, listed(survived));
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<RegisterAnomaly> session_anomalies(const RegisterOrder& order,
                                               const std::map<std::string, std::vector<std::string>>& final_values) {
    static const std::vector<std::string> none;
    auto survived = [&](const std::string& key) -> const std::vector<std::string>& {
        auto it = final_values.find(key);
        return it == final_values.end() ? none : it->second;
    };
    // Whether every value of `values` was written by a put that precedes `than` (absent: all do).
    auto all_precede = [&](const std::string& key, const std::vector<std::string>& values, const Operation& than) {
        for (const std::string& v : values) {
            const Operation* w = order.writer(key, v);
            if (w == nullptr || !RegisterOrder::precedes(*w, than)) return false;
        }
        return true;
    };
    // Each client's operations on register keys, in order (a client has one operation at a time).
    std::map<int, std::vector<const Operation*>> sessions;
    for (const Operation* op : order.gets()) sessions[op->process].push_back(op);
    for (const Operation* op : order.puts()) sessions[op->process].push_back(op);
    std::vector<RegisterAnomaly> out;
    auto add = [&](std::string kind, const Operation& op, const Operation* because, std::string detail) {
        RegisterAnomaly a;
        a.kind = std::move(kind);
        a.op = op.id;
        a.because = because ? because->id : -1;
        a.time_ns = op.complete_time_ns;
        a.detail = std::move(detail);
        out.push_back(std::move(a));
    };
    for (auto& [process, ops] : sessions) {
        std::sort(ops.begin(), ops.end(), [](const Operation* a, const Operation* b) { return a->invoke_time_ns < b->invoke_time_ns; });
        std::map<std::string, const Operation*> my_last_put;                  // key -> the client's last ok put
        std::map<std::string, std::vector<const Operation*>> seen;  // key -> the newest puts whose values it read
        for (const Operation* op : ops) {
            const std::string& key = op->key;
            if (op->f == Function::get) {
                const std::vector<std::string> values = order.values_read(*op);
                if (auto mine = my_last_put.find(key); mine != my_last_put.end() && !contains(values, *mine->second->value)) {
                    // Its own put completed before this get began (one operation at a time), so a
                    // value that precedes it is older than what the client knows it wrote.
                    bool older = true;
                    for (const std::string& v : values) {
                        const Operation* w = order.writer(key, v);
                        if (w == nullptr || !RegisterOrder::precedes(*w, *mine->second)) older = false;
                    }
                    if (older)
                        add("read_your_writes", *op, mine->second,
                            fmt::format("p{} put {} {} and then read {}", process, key, *mine->second->value, listed(values)));
                }
                for (const Operation* before : seen[key]) {
                    if (!all_precede(key, values, *before) || contains(values, *before->value)) continue;
                    add("monotonic_reads", *op, before,
                        fmt::format("p{} read {} {} and later {}, which is older", process, key, *before->value, listed(values)));
                    break;
                }
                // Keep only the newest puts read (none precedes another): older ones add nothing.
                auto& newest = seen[key];
                for (const std::string& v : values) {
                    const Operation* w = order.writer(key, v);
                    if (w == nullptr || w->completion != Completion::ok) continue;
                    if (std::any_of(newest.begin(), newest.end(), [&](const Operation* s) { return s == w || RegisterOrder::precedes(*w, *s); }))
                        continue;
                    std::erase_if(newest, [&](const Operation* s) { return RegisterOrder::precedes(*s, *w); });
                    newest.push_back(w);
                }
                continue;
            }
            // A put: it follows the client's earlier put and the values it read of the key.
            const std::vector<std::string>& end = survived(key);
            const bool kept = contains(end, *op->value);
            if (auto mine = my_last_put.find(key); mine != my_last_put.end() && !kept && contains(end, *mine->second->value))
                add("monotonic_writes", *op, mine->second,
                    fmt::format("p{} put {} {} after {}, but the key ends holding the earlier one", process, key, *op->value,
                                *mine->second->value));
            for (const Operation* read : seen[key]) {
                if (kept || read->process == process || !contains(end, *read->value)) continue;
                add("writes_follow_reads", *op, read,
                    fmt::format("p{} read {} {} and then put {}, but the key ends holding the value it read", process, key,
                                *read->value, *op->value));
                break;
            }
            my_last_put[key] = op;
        }
    }
    std::sort(out.begin(), out.end(), [](const RegisterAnomaly& a, const RegisterAnomaly& b) { return a.op < b.op; });
    return out;
}

namespace {

// A set of a key's puts (by their index among the key's puts) as bits.
struct PutSet {
    std::vector<uint64_t> words;
    explicit PutSet(std::size_t n = 0) : words((n + 63) / 64, 0) {}
    void add(std::size_t i) { words[i / 64] |= uint64_t{1} << (i % 64); }
    void remove(std::size_t i) { words[i / 64] &= ~(uint64_t{1} << (i % 64)); }
    bool has(std::size_t i) const { return (words[i / 64] >> (i % 64)) & 1; }
    void join(const PutSet& o) {
        for (std::size_t w = 0; w < words.size(); ++w) words[w] |= o.words[w];
    }
};

}  // namespace

std::vector<RegisterAnomaly> unseen_overwrites(const RegisterOrder& order,
                                               const std::map<std::string, std::vector<std::string>>& final_values) {
    // Per key, its puts (ok or info) and ok gets. One pass in time order is exact: a put's
    // knowledge is its client's when it was invoked, and a get that read a put completed after
    // that put was invoked, so the put's knowledge is known by then.
    struct KeyOps {
        std::vector<const Operation*> puts;
        std::map<OpId, std::size_t> index;
        std::vector<const Operation*> gets;
    };
    std::map<std::string, KeyOps> keys;
    for (const Operation& op : order.ops()) {
        if (!order.is_register_key(op.key)) continue;
        KeyOps& k = keys[op.key];
        if (op.f == Function::put && op.value && op.completion != Completion::fail) {
            k.index[op.id] = k.puts.size();
            k.puts.push_back(&op);
        } else if (op.f == Function::get && op.completion == Completion::ok) {
            k.gets.push_back(&op);
        }
    }
    static const std::vector<std::string> none;
    std::vector<RegisterAnomaly> out;
    for (auto& [key, k] : keys) {
        const std::size_t n = k.puts.size();
        // A key written more than this many times is left alone: n^2 bits would not fit.
        if (n == 0 || n > 40'000) continue;
        struct Step {
            std::int64_t time;
            int order;  // puts' invocations before gets' completions at the same instant
            const Operation* op;
        };
        std::vector<Step> steps;
        for (const Operation* p : k.puts) steps.push_back({p->invoke_time_ns, 0, p});
        for (const Operation* g : k.gets) steps.push_back({g->complete_time_ns, 1, g});
        std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
            return a.time != b.time ? a.time < b.time : a.order < b.order;
        });
        std::vector<PutSet> saw(n, PutSet(n));
        std::map<int, PutSet> knows;  // client -> the puts it has seen
        for (const Step& step : steps) {
            PutSet& mine = knows.try_emplace(step.op->process, PutSet(n)).first->second;
            if (step.op->f == Function::put) {
                const std::size_t i = k.index.at(step.op->id);
                mine.add(i);
                saw[i] = mine;
                continue;
            }
            for (const std::string& v : order.values_read(*step.op)) {
                const Operation* w = order.writer(key, v);
                if (w == nullptr) continue;
                auto it = k.index.find(w->id);
                if (it != k.index.end()) mine.join(saw[it->second]);
            }
        }
        // Every put some other put saw: the union of what each put saw, itself left out.
        PutSet seen_by_another(n);
        for (std::size_t q = 0; q < n; ++q) {
            PutSet others = saw[q];
            others.remove(q);
            seen_by_another.join(others);
        }
        auto end = final_values.find(key);
        const std::vector<std::string>& survived = end == final_values.end() ? none : end->second;
        for (std::size_t i = 0; i < n; ++i) {
            const Operation* p = k.puts[i];
            if (p->completion != Completion::ok || contains(survived, *p->value) || seen_by_another.has(i)) continue;
            RegisterAnomaly a;
            a.kind = "unseen_overwrite";
            a.op = p->id;
            a.time_ns = p->complete_time_ns;
            a.detail = fmt::format("put {} {} by p{} was acknowledged, and no later write that saw it replaced it, yet the key "
                                   "ends holding {}",
                                   p->key, *p->value, p->process, listed(survived));
            out.push_back(std::move(a));
        }
    }
    std::sort(out.begin(), out.end(), [](const RegisterAnomaly& a, const RegisterAnomaly& b) { return a.op < b.op; });
    return out;
}

}  // namespace faultline::check
