#include "protocols/quorum_register/messages.h"

#include <fmt/format.h>

namespace faultline::quorum_register {

namespace {
std::string describe_stamped(const Stamped& s) {
    if (!s.found) return "absent";
    return fmt::format("{} (v{})", s.value, s.version.counter);
}
}  // namespace

std::string ClientReply::describe() const {
    if (result.outcome != ClientOutcome::ok) return "fail";
    return result.found ? fmt::format("ok {}", result.value) : "ok";
}
std::string Query::describe() const { return fmt::format("op {} {}", operation, key); }
std::string QueryReply::describe() const { return fmt::format("op {} {}", operation, describe_stamped(stamped)); }
std::string Store::describe() const { return fmt::format("op {} {}={}", operation, key, describe_stamped(stamped)); }
std::string StoreAck::describe() const { return fmt::format("op {}", operation); }

}  // namespace faultline::quorum_register
