#include "server.h"

#include <fmt/format.h>

namespace faultline::lab02 {

void Server::on_message(Context& ctx, const Envelope& m) {
    const auto* request = m.as<Request>();
    if (!request) return;
    if (mistake_ == Mistake::no_duplicate_table) {
        ctx.reply(m, Reply{apply(data_, request->op)});
        return;
    }
    if (mistake_ == Mistake::keeps_every_request) {  // correct, but the table only grows
        const auto id = std::make_pair(request->client, request->sequence);
        auto seen = every_request_.find(id);
        if (seen == every_request_.end()) seen = every_request_.emplace(id, apply(data_, request->op)).first;
        ctx.reply(m, Reply{seen->second});
        return;
    }
    auto it = sessions_.find(request->client);
    if (it != sessions_.end()) {
        Session& s = it->second;
        if (request->sequence == s.sequence) {
            // A retry, or a copy: the operation already took effect. Same answer, no second effect.
            ctx.reply(m, Reply{mistake_ == Mistake::no_cached_reply ? kv::KvResult{ClientOutcome::ok} : s.reply});
            return;
        }
        if (request->sequence < s.sequence && mistake_ != Mistake::applies_late_copies) {
            // A late copy of an operation the client has moved on from: nobody waits for its
            // answer, and applying it now would undo newer writes. Drop it.
            return;
        }
    }
    kv::KvResult reply = apply(data_, request->op);
    sessions_[request->client] = Session{request->sequence, reply};
    ctx.reply(m, Reply{reply});
}

std::size_t Server::table_entries() const { return sessions_.size() + every_request_.size(); }

std::string Server::describe_state() const { return fmt::format("{} keys, {} table entries", data_.size(), table_entries()); }

ProcessFactory server(Mistake mistake) {
    return [mistake] { return std::make_unique<Server>(mistake); };
}

}  // namespace faultline::lab02
