#include "protocols/abd/server.h"

#include <fmt/format.h>

namespace faultline::abd {

namespace {
constexpr std::string_view data_prefix = "d/";
}  // namespace

ProcessFactory server() {
    return [] { return std::make_unique<Server>(); };
}

void Server::on_start(Context& ctx) {
    for (const std::string& name : ctx.disk().keys(std::string(data_prefix))) {
        DiskRead r = ctx.disk().read(name);
        auto s = r.ok() ? Stamped::decode(r.value) : std::nullopt;
        // A record a crash tore or corrupted is dropped: this server then answers with an older
        // tag, which the quorum intersection tolerates (as long as a majority keeps its data).
        if (!s) {
            ctx.logf("disk record {} unreadable: dropped", name);
            continue;
        }
        data_[name.substr(data_prefix.size())] = std::move(*s);
    }
}

void Server::on_message(Context& ctx, const Envelope& m) {
    if (const auto* q = m.as<Query>()) {
        ctx.reply(m, QueryReply{q->operation, stamped(q->key)});
        return;
    }
    if (const auto* s = m.as<Store>()) {
        Stamped& held = data_[s->key];
        if (held.tag < s->stamped.tag) {
            held = s->stamped;
            ctx.disk().write(std::string(data_prefix) + s->key, held.encode());
            ctx.sync();
            ctx.annotate("store", fmt::format("{} {}", s->key, held.tag.text()));
        }
        ctx.reply(m, StoreAck{s->operation});
    }
}

std::string Server::describe_state() const {
    std::string out;
    for (const auto& [key, s] : data_) out += fmt::format("{} = {} ({})\n", key, s.value, s.tag.text());
    return out;
}

Stamped Server::stamped(const std::string& key) const {
    auto it = data_.find(key);
    return it == data_.end() ? Stamped{} : it->second;
}

}  // namespace faultline::abd
