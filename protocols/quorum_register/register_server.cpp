#include "protocols/quorum_register/register_server.h"

#include <fmt/format.h>

namespace faultline::quorum_register {

ProcessFactory register_server(Options options) {
    return [options] { return std::make_unique<RegisterServer>(options); };
}

void RegisterServer::on_start(Context& ctx) {
    FL_ASSERT(!o_.servers.empty(), "a quorum register needs servers");
    for (const auto& name : o_.servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        servers_.push_back(*id);
    }
}

// How many servers, this one included, must answer before an operation moves on.
std::size_t RegisterServer::quorum() const {
    std::size_t n = servers_.size();
    if (o_.wait_for_majority) return n / 2 + 1;  // the fix: any two majorities share a server
    return n / 2;  // THE BUG: "half of them" is no majority; for 3 servers it is 1, this server alone
}

void RegisterServer::on_message(Context& ctx, const Envelope& m) {
    if (auto* r = m.as<ClientRequest>()) return on_client_request(ctx, m, *r);
    if (auto* q = m.as<QueryReply>()) return on_query_reply(ctx, m, *q);
    if (auto* a = m.as<StoreAck>()) return on_store_ack(ctx, m, *a);
    // The other side of each phase: answer with our copy, or keep a newer one.
    if (auto* q = m.as<Query>()) {
        ctx.send(m.from, QueryReply{q->operation, stamped(q->key)});
    } else if (auto* s = m.as<Store>()) {
        adopt(ctx, s->key, s->stamped);
        ctx.send(m.from, StoreAck{s->operation});
    }
}

void RegisterServer::on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r) {
    if (r.op.f != kv::Function::get && r.op.f != kv::Function::put) {
        ClientReply fail;
        fail.result.outcome = ClientOutcome::fail;  // a register has no append or cas
        ctx.reply(m, fail);
        return;
    }
    // The network may deliver a request twice, and a put run twice is two writes. A client sends
    // one request at a time and call ids only grow, so anything not newer is a copy (or too late).
    if (m.call_id <= last_call_[m.from]) return;
    last_call_[m.from] = m.call_id;
    if (operations_.size() >= operations_max) return;  // overloaded: the client will time out
    uint64_t id = next_operation_++;
    Operation& op = operations_[id];
    op.request = m;
    op.op = r.op;
    // Phase 1: ask every other server for its newest version; our own copy is the first answer.
    op.newest = stamped(r.op.key);
    op.answered = {ctx.id()};
    for (NodeId s : servers_)
        if (s != ctx.id()) ctx.send(s, Query{id, r.op.key});
    if (op.answered.size() >= quorum()) start_store(ctx, id, op);
}

void RegisterServer::on_query_reply(Context& ctx, const Envelope& m, const QueryReply& q) {
    auto it = operations_.find(q.operation);
    if (it == operations_.end() || it->second.storing) return;  // late: that phase is over
    Operation& op = it->second;
    if (op.newest.version < q.stamped.version) op.newest = q.stamped;
    // Count servers, not messages: the network may deliver a reply twice.
    if (op.answered.insert(m.from).second && op.answered.size() == quorum()) start_store(ctx, q.operation, op);
}

void RegisterServer::start_store(Context& ctx, uint64_t id, Operation& op) {
    FL_ASSERT(!op.storing, "operation {} is already storing", id);
    FL_ASSERT(op.answered.size() >= quorum(), "operation {} stores before a quorum answered", id);
    // Phase 2. A put stores its value above every version phase 1 saw (the writer part makes
    // the version unique); a get stores back the value it is about to return.
    if (op.op.f == kv::Function::put) {
        Version v{op.newest.version.counter + 1, (uint64_t{ctx.id()} << 32) | id};
        op.newest = Stamped{v, true, op.op.value};
    }
    op.storing = true;
    adopt(ctx, op.op.key, op.newest);
    op.answered = {ctx.id()};
    for (NodeId s : servers_)
        if (s != ctx.id()) ctx.send(s, Store{id, op.op.key, op.newest});
    if (op.answered.size() >= quorum()) finish(ctx, id, op);
}

void RegisterServer::on_store_ack(Context& ctx, const Envelope& m, const StoreAck& a) {
    auto it = operations_.find(a.operation);
    if (it == operations_.end() || !it->second.storing) return;  // late: already answered
    Operation& op = it->second;
    if (op.answered.insert(m.from).second && op.answered.size() == quorum()) finish(ctx, a.operation, op);
}

void RegisterServer::finish(Context& ctx, uint64_t id, Operation& op) {
    FL_ASSERT(op.storing, "operation {} finishes before its store phase", id);
    ClientReply done;
    done.result.outcome = ClientOutcome::ok;
    if (op.op.f == kv::Function::get) {
        done.result.found = op.newest.found;
        done.result.value = op.newest.value;
    }
    ctx.reply(op.request, done);
    operations_.erase(id);  // `op` dangles from here on
}

void RegisterServer::adopt(Context& ctx, const std::string& key, const Stamped& s) {
    Stamped& mine = data_[key];
    if (mine.version < s.version) {
        mine = s;
        ctx.annotate(key, s.value);
    }
}

Stamped RegisterServer::stamped(const std::string& key) const {
    auto it = data_.find(key);
    return it == data_.end() ? Stamped{} : it->second;
}

std::string RegisterServer::describe_state() const {
    std::string out;
    for (const auto& [key, s] : data_)
        out += fmt::format("{}{}={} (v{})", out.empty() ? "" : " ", key, s.value, s.version.counter);
    return out;
}

}  // namespace faultline::quorum_register
