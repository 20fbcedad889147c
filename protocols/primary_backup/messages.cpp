#include "protocols/primary_backup/messages.h"

#include <fmt/format.h>

namespace faultline::primary_backup {

std::string ClientRequest::describe() const { return fmt::format("{} (client {:x} #{})", op.describe(), client, sequence); }
std::string ClientReply::describe() const {
    if (status == ReplyStatus::not_primary) return fmt::format("not primary, hint {}", primary_hint);
    return fmt::format("ok found={} value={} swapped={}", result.found, result.value, result.swapped);
}
std::string Replicate::describe() const { return fmt::format("epoch {} #{} {}", epoch, index, op.describe()); }
std::string ReplicateAck::describe() const {
    return fmt::format("epoch {} #{} {}{}", epoch, index, ok ? "ok" : "refused", need_state ? " need_state" : "");
}
std::string Heartbeat::describe() const { return fmt::format("epoch {} applied {}", epoch, applied); }
std::string HeartbeatReply::describe() const {
    return fmt::format("epoch {} applied {}{}", epoch, applied, need_state ? " need_state" : "");
}
std::string StateTransfer::describe() const {
    return fmt::format("epoch {} applied {} ({} keys)", epoch, applied, store.data().size());
}
std::string StateAck::describe() const { return fmt::format("epoch {} applied {}", epoch, applied); }
std::string Ping::describe() const {
    return fmt::format("knows {} initialized {} acked {} incarnation {}", epoch_known, initialized_epoch, acked_epoch,
                       incarnation);
}
std::string ViewReply::describe() const {
    std::string b;
    for (NodeId id : view.backups) b += fmt::format("{} ", id);
    return fmt::format("epoch {} primary {} backups [{}]", view.epoch, view.primary, b);
}

}  // namespace faultline::primary_backup
