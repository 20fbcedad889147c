#include "protocols/crdt/lww_register.h"

#include "protocols/crdt/text_codec.h"
#include "sim/assert.h"

namespace faultline::crdt {

LwwRegister LwwRegister::put(int64_t clock_ns, const std::string& replica, const std::string& value) const {
    FL_ASSERT(!replica.empty(), "a put needs the replica's id");
    LwwRegister delta;
    delta.current_ = Stamped{clock_ns, replica, value};
    return delta;
}

bool LwwRegister::merge(const LwwRegister& other) {
    if (!other.current_ || (current_ && *other.current_ <= *current_)) return false;
    current_ = other.current_;
    return true;
}

std::string LwwRegister::encode() const {
    if (!current_) return {};
    return std::to_string(current_->clock_ns) + ':' + escape(current_->replica) + '=' + escape(current_->value);
}

std::optional<LwwRegister> LwwRegister::decode(std::string_view text) {
    LwwRegister out;
    if (text.empty()) return out;
    const std::size_t colon = text.find(':');
    const std::size_t equals = text.find('=');
    if (colon == std::string_view::npos || equals == std::string_view::npos || equals < colon) return std::nullopt;
    auto clock = parse_i64(text.substr(0, colon));
    auto replica = unescape(text.substr(colon + 1, equals - colon - 1));
    auto value = unescape(text.substr(equals + 1));
    if (!clock || !replica || replica->empty() || !value) return std::nullopt;
    out.current_ = Stamped{*clock, std::move(*replica), std::move(*value)};
    return out;
}

}  // namespace faultline::crdt
