#include "protocols/crdt/key_state.h"

#include "sim/assert.h"

#include <algorithm>

namespace faultline::crdt {

namespace {

constexpr std::string_view type_names[] = {"g_counter", "pn_counter", "or_set", "lww_register", "mv_register"};

template <typename T>
const T& as(const KeyState::Crdt& crdt, std::string_view operation) {
    const T* p = std::get_if<T>(&crdt);
    FL_ASSERT(p != nullptr, "{} on a {}: the store must refuse operations its type does not serve", operation,
              type_names[crdt.index()]);
    return *p;
}

}  // namespace

std::string_view to_string(CrdtType type) { return type_names[static_cast<std::size_t>(type)]; }

std::optional<CrdtType> parse_crdt_type(std::string_view name) {
    for (std::size_t i = 0; i < std::size(type_names); ++i)
        if (type_names[i] == name) return static_cast<CrdtType>(i);
    return std::nullopt;
}

const std::vector<std::string>& crdt_type_names() {
    static const std::vector<std::string> names(std::begin(type_names), std::end(type_names));
    return names;
}

std::vector<std::string> operations_served(CrdtType type) {
    switch (type) {
        case CrdtType::g_counter:
        case CrdtType::pn_counter: return {"get", "incr"};
        case CrdtType::or_set: return {"get", "add", "remove"};
        case CrdtType::lww_register:
        case CrdtType::mv_register: return {"get", "put"};
    }
    FL_ASSERT(false, "unknown CRDT type {}", static_cast<int>(type));
    return {};
}

bool serves(CrdtType type, check::Function f) {
    const std::vector<std::string> ops = operations_served(type);
    return std::find(ops.begin(), ops.end(), check::to_string(f)) != ops.end();
}

KeyState::KeyState(CrdtType type) {
    switch (type) {
        case CrdtType::g_counter: crdt_ = GCounter{}; return;
        case CrdtType::pn_counter: crdt_ = PnCounter{}; return;
        case CrdtType::or_set: crdt_ = OrSet{}; return;
        case CrdtType::lww_register: crdt_ = LwwRegister{}; return;
        case CrdtType::mv_register: crdt_ = MvRegister{}; return;
    }
    FL_ASSERT(false, "unknown CRDT type {}", static_cast<int>(type));
}

KeyState KeyState::increment(const std::string& replica, int64_t amount) const {
    if (type() == CrdtType::g_counter) {
        FL_ASSERT(amount >= 0, "a grow-only counter cannot add {}: the store must refuse it first", amount);
        return KeyState(as<GCounter>(crdt_, "incr").increment(replica, static_cast<uint64_t>(amount)));
    }
    return KeyState(as<PnCounter>(crdt_, "incr").increment(replica, amount));
}

KeyState KeyState::add(const std::string& replica, const std::string& element) const {
    return KeyState(as<OrSet>(crdt_, "add").add(replica, element));
}

KeyState KeyState::remove(const std::string& replica, const std::string& element, bool by_element) const {
    const OrSet& set = as<OrSet>(crdt_, "remove");
    return KeyState(by_element ? set.remove_by_element(replica, element) : set.remove(element));
}

KeyState KeyState::put(const std::string& replica, int64_t clock_ns, const std::string& value) const {
    if (type() == CrdtType::lww_register) return KeyState(as<LwwRegister>(crdt_, "put").put(clock_ns, replica, value));
    return KeyState(as<MvRegister>(crdt_, "put").put(replica, value));
}

bool KeyState::merge(const KeyState& other) {
    FL_ASSERT(other.type() == type(), "joining a {} into a {}", to_string(other.type()), to_string(type()));
    return std::visit(
        [&](auto& mine) {
            using T = std::decay_t<decltype(mine)>;
            return mine.merge(std::get<T>(other.crdt_));
        },
        crdt_);
}

bool KeyState::covered_by(const KeyState& later) const {
    KeyState joined = later;
    joined.merge(*this);
    return joined == later;
}

std::vector<std::string> KeyState::values() const {
    if (empty()) return {};
    switch (type()) {
        case CrdtType::g_counter: return {std::get<GCounter>(crdt_).value()};
        case CrdtType::pn_counter: return {std::get<PnCounter>(crdt_).value()};
        case CrdtType::or_set: return {std::get<OrSet>(crdt_).value()};
        case CrdtType::lww_register: return {std::get<LwwRegister>(crdt_).current()->value};
        case CrdtType::mv_register: return std::get<MvRegister>(crdt_).values();
    }
    return {};
}

bool KeyState::empty() const {
    return std::visit([](const auto& c) { return c.empty(); }, crdt_);
}

std::string KeyState::encode() const {
    return std::visit([](const auto& c) { return c.encode(); }, crdt_);
}

std::optional<KeyState> KeyState::decode(CrdtType type, std::string_view text) {
    auto wrap = [](auto decoded) -> std::optional<KeyState> {
        if (!decoded) return std::nullopt;
        return KeyState(Crdt(std::move(*decoded)));
    };
    switch (type) {
        case CrdtType::g_counter: return wrap(GCounter::decode(text));
        case CrdtType::pn_counter: return wrap(PnCounter::decode(text));
        case CrdtType::or_set: return wrap(OrSet::decode(text));
        case CrdtType::lww_register: return wrap(LwwRegister::decode(text));
        case CrdtType::mv_register: return wrap(MvRegister::decode(text));
    }
    return std::nullopt;
}

}  // namespace faultline::crdt
