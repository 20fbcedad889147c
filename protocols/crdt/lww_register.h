// LwwRegister: a last-writer-wins register (Shapiro et al. 2011, §3.2.1), state-based.
//
// State: at most one value, stamped with the writing replica's local clock reading and the
// replica's id. The join keeps the greater stamp: (clock, replica), and the value itself as a
// last tie-break so that two writes one replica took in the same nanosecond still order the same
// everywhere. A total order, so the join is commutative, associative and idempotent.
//
// What it costs: the clocks are the nodes' own. A replica whose clock runs behind stamps its
// write lower than an older write from a replica whose clock runs ahead, and the newer write
// loses, at once on its own replica and everywhere after. Clock skew shows (on purpose: the
// lost_writes checker counts such puts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::crdt {

class LwwRegister {
public:
    struct Stamped {
        int64_t clock_ns = 0;
        std::string replica;
        std::string value;
        auto operator<=>(const Stamped&) const = default;  // in this member order: the LWW order
    };

    // The delta of `replica` writing `value` at its local clock reading `clock_ns`.
    LwwRegister put(int64_t clock_ns, const std::string& replica, const std::string& value) const;
    bool merge(const LwwRegister& other);

    const std::optional<Stamped>& current() const { return current_; }
    bool empty() const { return !current_.has_value(); }

    // "" (no write yet) or "<clock_ns>:<escaped replica>=<escaped value>".
    std::string encode() const;
    static std::optional<LwwRegister> decode(std::string_view text);
    bool operator==(const LwwRegister&) const = default;

private:
    std::optional<Stamped> current_;
};

}  // namespace faultline::crdt
