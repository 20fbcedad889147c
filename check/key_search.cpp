// KeySearch. See key_search.h.
#include "check/key_search.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>

namespace faultline::check {
namespace {

std::uint64_t splitmix64(std::uint64_t* state) {
    std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

constexpr std::int32_t list_end = -1;
constexpr std::size_t ops_max = 1u << 30;

}  // namespace

KeySearch::KeySearch(const Model& model, std::vector<Operation> ops, MemoryPool* pool, StateTable* shared_states,
                     Pruning order)
    : ops_(std::move(ops)),
      own_states_(shared_states ? nullptr : std::make_unique<StateTable>(pool)),
      states_(shared_states ? shared_states : own_states_.get()),
      cache_(std::max<std::size_t>(1, (ops_.size() + 63) / 64), pool),
      order_(ops_, pool, order == Pruning::append_order) {
    CHECKER_ASSERT(ops_.size() < ops_max, "KeySearch: too many operations for one key (2^30)");
    std::size_t n = ops_.size();
    steps_of_op_.resize(n);
    zobrist_.resize(n);
    read_only_.resize(n);
    observes_exactly_.resize(n);
    std::uint64_t seed = 0x5eed;
    for (std::size_t i = 0; i < n; ++i) {
        const Operation& op = ops_[i];
        CHECKER_ASSERT(op.completion != Completion::fail, "KeySearch: drop fail operations before searching");
        CHECKER_ASSERT(model.supports(op.f), "KeySearch: operation not supported by the model; validate first");
        if (!states_->compile(op, &steps_of_op_[i])) status_ = Status::out_of_memory;
        zobrist_[i] = splitmix64(&seed);
        read_only_[i] = op.f == Function::get || (op.f == Function::cas && op.output_known() && !op.cas_swapped);
        observes_exactly_[i] = AppendOrder::observes_exactly(op);
        observers_pending_ += observes_exactly_[i];
    }
    // Entries in real-time order: (event index, op) for calls and ok returns; info returns after
    // everything, in op order. Event indices are unique, so the order is total and deterministic.
    struct Key {
        std::int64_t at;
        std::int32_t op;
        bool call;
    };
    std::vector<Key> keys;
    keys.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        keys.push_back({ops_[i].invoke_index, static_cast<std::int32_t>(i), true});
        bool info = ops_[i].completion != Completion::ok;
        keys.push_back({info ? time_never : ops_[i].complete_index, static_cast<std::int32_t>(i), false});
    }
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
        if (a.at != b.at) return a.at < b.at;
        return a.op < b.op;
    });
    std::size_t entries = 2 * n + 1;
    next_.assign(entries, list_end);
    prev_.assign(entries, list_end);
    match_.assign(entries, 0);
    op_of_.assign(entries, -1);
    is_call_.assign(entries, 0);
    is_info_return_.assign(entries, 0);
    std::vector<std::int32_t> call_of(n, 0);
    for (std::size_t k = 0; k < keys.size(); ++k) {
        auto e = static_cast<std::int32_t>(k + 1);
        op_of_[e] = keys[k].op;
        is_call_[e] = keys[k].call;
        is_info_return_[e] = !keys[k].call && ops_[keys[k].op].completion != Completion::ok;
        prev_[e] = e - 1;
        next_[e - 1] = e;
        if (keys[k].call) {
            call_of[keys[k].op] = e;
        } else {
            CHECKER_ASSERT(call_of[keys[k].op] != 0, "KeySearch: a return sorted before its call (completion before invocation?)");
            match_[e] = call_of[keys[k].op];
            match_[call_of[keys[k].op]] = e;
        }
    }
    linearized_.assign(std::max<std::size_t>(1, (n + 63) / 64), 0);
    entry_ = next_[0];
    stack_.reserve(n);

    // Twin groups, members in return-entry order (entries are numbered in list order).
    call_entry_ = call_of;
    std::vector<std::int32_t> return_entry(n, 0);
    for (std::size_t e = 1; e < entries; ++e) {
        if (!is_call_[e]) return_entry[op_of_[e]] = static_cast<std::int32_t>(e);
    }
    // Views into ops_, which outlives the map: appended values grow long, and copying three of
    // them per operation was most of this constructor's cost.
    using ValueView = std::optional<std::string_view>;
    auto view = [](const Value& v) { return v ? ValueView(*v) : ValueView(); };
    using Signature = std::tuple<Function, ValueView, ValueView, bool, ValueView, bool>;
    std::map<Signature, std::int32_t> group_of_signature;  // lookup only
    twin_group_.assign(n, 0);
    twin_rank_.assign(n, 0);
    std::vector<std::int32_t> by_return(n);
    for (std::size_t i = 0; i < n; ++i) by_return[i] = static_cast<std::int32_t>(i);
    std::sort(by_return.begin(), by_return.end(),
              [&](std::int32_t a, std::int32_t b) { return return_entry[a] < return_entry[b]; });
    for (std::int32_t op : by_return) {
        const Operation& o = ops_[op];
        // A put or append acts the same whatever its completion; a get or cas observes only if ok.
        bool observes = (o.f == Function::get || o.f == Function::cas) && o.output_known();
        Signature sig{o.f, view(o.value), view(o.expected), observes, observes ? view(o.output) : ValueView(),
                      observes && o.cas_swapped};
        auto [it, fresh] = group_of_signature.emplace(sig, static_cast<std::int32_t>(twins_.size()));
        if (fresh) twins_.emplace_back();
        twin_group_[op] = it->second;
        twin_rank_[op] = static_cast<std::int32_t>(twins_[it->second].size());
        twins_[it->second].push_back(op);
    }
    twin_cursor_.assign(twins_.size(), 0);
    find_first_return();
}

void KeySearch::find_first_return() {
    std::int32_t e = next_[0];
    while (e != list_end && is_call_[e]) e = next_[e];
    first_return_ = e == list_end ? std::numeric_limits<std::int32_t>::max() : e;
}

bool KeySearch::may_lift(std::int32_t op) const {
    std::int32_t group = twin_group_[op];
    std::int32_t first = twins_[group][twin_cursor_[group]];
    return first == op || call_entry_[first] > first_return_;
}

void KeySearch::lift(std::int32_t call) {
    std::int32_t op = op_of_[call];
    std::int32_t group = twin_group_[op];
    std::uint32_t& cursor = twin_cursor_[group];
    const std::vector<std::int32_t>& twins = twins_[group];
    while (cursor < twins.size() && (linearized_[twins[cursor] >> 6] >> (twins[cursor] & 63) & 1)) ++cursor;
    observers_pending_ -= observes_exactly_[op];
    std::int32_t ret = match_[call];
    next_[prev_[call]] = next_[call];
    if (next_[call] != list_end) prev_[next_[call]] = prev_[call];
    next_[prev_[ret]] = next_[ret];
    if (next_[ret] != list_end) prev_[next_[ret]] = prev_[ret];
}

void KeySearch::unlift(std::int32_t call) {
    std::int32_t op = op_of_[call];
    std::uint32_t rank = static_cast<std::uint32_t>(twin_rank_[op]);
    twin_cursor_[twin_group_[op]] = std::min(twin_cursor_[twin_group_[op]], rank);
    observers_pending_ += observes_exactly_[op];
    // Reverse order of lift, so each entry's neighbours are exactly as they were.
    std::int32_t ret = match_[call];
    if (next_[ret] != list_end) prev_[next_[ret]] = ret;
    next_[prev_[ret]] = ret;
    if (next_[call] != list_end) prev_[next_[call]] = call;
    next_[prev_[call]] = call;
}

void KeySearch::record_prefix() {
    if (stack_.size() <= best_.size()) return;
    best_.resize(best_common_);
    for (std::size_t i = best_common_; i < stack_.size(); ++i) best_.push_back(op_of_[stack_[i].call_entry]);
    best_common_ = stack_.size();
    best_state_ = state_;
}

bool KeySearch::backtrack() {
    // Undo the last lift, and keep undoing while the undone op was read-only: its configuration
    // has failed as a whole (see key_search.h).
    std::int32_t undone = 0;
    bool read_only = true;
    while (read_only && !stack_.empty()) {
        Lifted top = stack_.back();
        stack_.pop_back();
        best_common_ = std::min(best_common_, stack_.size());
        std::int32_t op = op_of_[top.call_entry];
        linearized_[op >> 6] &= ~(1ULL << (op & 63));
        set_hash_ ^= zobrist_[op];
        state_ = top.state_before;
        unlift(top.call_entry);
        undone = top.call_entry;
        read_only = read_only_[op];
    }
    if (read_only) {
        status_ = Status::not_linearizable;
        return false;
    }
    find_first_return();
    // `undone` was a write, lifted in the writes pass of its configuration: no read is legal
    // there, so the pass goes on after it.
    entry_ = next_[undone];
    reads_first_ = false;
    return true;
}

KeySearch::Status KeySearch::run(std::uint64_t steps_max) {
    for (std::uint64_t budget = steps_max; status_ == Status::searching && budget > 0; --budget) {
        ++steps_;
        if (entry_ == list_end) {
            status_ = Status::linearizable;
            break;
        }
        if (!is_call_[entry_]) {
            if (is_info_return_[entry_]) {
                // Info returns sort after every ok return, so everything left is info: those
                // operations may never have happened.
                status_ = Status::linearizable;
                break;
            }
            if (reads_first_) {
                // No read was legal here: now try the writes, from the head.
                reads_first_ = false;
                entry_ = next_[0];
                continue;
            }
            if (!backtrack()) break;
            continue;
        }
        std::int32_t op = op_of_[entry_];
        if (read_only_[op] != reads_first_ || !may_lift(op)) {
            entry_ = next_[entry_];
            continue;
        }
        std::uint32_t next_state = 0;
        StateTable::Outcome outcome = states_->step(state_, steps_of_op_[op], &next_state);
        if (outcome == StateTable::Outcome::out_of_memory) {
            status_ = Status::out_of_memory;
            break;
        }
        if (outcome == StateTable::Outcome::legal && next_state != state_ &&
            observers_pending_ > observes_exactly_[op] && !order_.observable(*states_, next_state)) {
            // A dead end by append order (append_order.h): nothing left could observe it.
            outcome = StateTable::Outcome::illegal;
        }
        if (outcome == StateTable::Outcome::legal) {
            linearized_[op >> 6] |= 1ULL << (op & 63);
            set_hash_ ^= zobrist_[op];
            if (cache_.insert_if_new(linearized_.data(), set_hash_, next_state)) {
                stack_.push_back({entry_, state_});
                state_ = next_state;
                lift(entry_);
                find_first_return();
                record_prefix();
                entry_ = next_[0];
                reads_first_ = true;
                continue;
            }
            linearized_[op >> 6] &= ~(1ULL << (op & 63));
            set_hash_ ^= zobrist_[op];
            if (read_only_[op]) {
                // The configuration after this read was explored and failed, so this one fails.
                if (!backtrack()) break;
                continue;
            }
        }
        entry_ = next_[entry_];
    }
    CHECKER_ASSERT(status_ != Status::linearizable || stack_.size() <= ops_.size(), "KeySearch: stack larger than history");
    return status_;
}

std::vector<OpId> KeySearch::longest_prefix() const {
    std::vector<OpId> ids;
    ids.reserve(best_.size());
    for (std::int32_t op : best_) ids.push_back(ops_[op].id);
    return ids;
}

}  // namespace faultline::check
