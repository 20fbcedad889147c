// The CRDT store's servers on scripted schedules: two servers built by the plug-in into a World,
// and one client node per request, sending it to a chosen server at a chosen time (the store's
// messages, protocols/crdt/messages.h). Each test reads like its schedule.
#include "protocols/crdt/messages.h"
#include "protocols/crdt/server.h"
#include "protocols/plugin/registry.h"

#include "sim/world.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace faultline;
using namespace faultline::crdt;

namespace {

using Reply = std::shared_ptr<std::optional<kv::KvResult>>;

class Store {
public:
    explicit Store(const std::string& type) : world_(WorldOptions{.seed = 1, .trace_level = TraceLevel::events}) {
        const plugin::ProtocolEntry* entry = plugin::find_protocol("crdt");
        REQUIRE(entry != nullptr);
        const scenario::OptionValues given{{"type", type}};
        built_ = entry->build(world_, {"n1", "n2"}, plugin::Options(entry->spec.options, given));
    }

    World& world() { return world_; }
    NodeId n1() const { return built_.servers.at(0); }
    NodeId n2() const { return built_.servers.at(1); }

    // A client node that sends `op` (as request `seq` of `client`) to `server` at `at_ms`.
    Reply ask(int at_ms, NodeId server, kv::KvOp op, std::string client = "", uint64_t seq = 1) {
        auto reply = std::make_shared<std::optional<kv::KvResult>>();
        const std::string node = fmt::format("c{}", ++clients_);
        if (client.empty()) client = node;
        world_.add_node(node, fiber_process([=](Context& ctx) {
            ctx.sleep(milliseconds(at_ms));
            auto r = ctx.call(server, ClientRequest{client, seq, op}, milliseconds(100));
            if (r) *reply = r->get<ClientReply>().result;
        }));
        return reply;
    }

    // From `from_ms` to `to_ms` the nodes in `left` hear nothing of the others (and back).
    void split(int from_ms, int to_ms, const std::vector<std::string>& left) {
        world_.at(Instant::zero() + milliseconds(from_ms), [left](World& w) {
            std::vector<NodeId> a, b;
            for (NodeId id = 0; id < w.node_count(); ++id)
                (std::find(left.begin(), left.end(), w.node_name(id)) != left.end() ? a : b).push_back(id);
            w.set_partition(Partition::groups(w.node_count(), {a, b}));
        });
        world_.at(Instant::zero() + milliseconds(to_ms), [](World& w) { w.heal(); });
    }

    void run_until_ms(int ms) { world_.run_until(Instant::zero() + milliseconds(ms)); }

private:
    World world_;
    plugin::BuiltSystem built_;
    int clients_ = 0;
};

kv::KvOp op(kv::Function f, std::string key, std::string value = "") { return kv::KvOp{f, std::move(key), std::move(value), {}}; }

}  // namespace

TEST_CASE("crdt store scripted: puts on both sides of a partition come back as sorted siblings, a later put replaces them", "[crdt]") {
    Store s("mv_register");
    auto left = s.ask(10, s.n1(), op(kv::Function::put, "k", "left"));
    auto right = s.ask(10, s.n2(), op(kv::Function::put, "k", "right"));
    auto both = s.ask(1'000, s.n1(), op(kv::Function::get, "k"));
    auto replace = s.ask(1'100, s.n1(), op(kv::Function::put, "k", "after"));
    auto after = s.ask(2'000, s.n2(), op(kv::Function::get, "k"));
    s.split(0, 500, {"n1", "c1", "c3", "c4"});
    s.run_until_ms(3'000);
    REQUIRE(left->value().outcome == ClientOutcome::ok);
    REQUIRE(right->value().outcome == ClientOutcome::ok);  // both sides write: an AP store
    REQUIRE(both->value().siblings == std::vector<std::string>{"left", "right"});
    REQUIRE(both->value().value == "right");  // the greatest
    REQUIRE(replace->value().outcome == ClientOutcome::ok);
    REQUIRE(after->value().value == "after");
    REQUIRE(after->value().siblings.empty());
}

TEST_CASE("crdt store scripted: an acknowledged increment survives a crash, a repeated request counts once", "[crdt]") {
    // n1 is cut off from n2 throughout, so only its own disk can give the increment back.
    Store s("g_counter");
    auto first = s.ask(10, s.n1(), op(kv::Function::incr, "k", "2"), "client-a", 7);
    auto again = s.ask(20, s.n1(), op(kv::Function::incr, "k", "2"), "client-a", 7);  // the same request
    auto read = s.ask(300, s.n1(), op(kv::Function::get, "k"));
    s.split(0, 10'000, {"n2"});
    s.world().at(Instant::zero() + milliseconds(100), [&](World& w) { w.crash(s.n1()); });
    s.world().at(Instant::zero() + milliseconds(200), [&](World& w) { w.restart(s.n1()); });
    s.run_until_ms(1'000);
    REQUIRE(first->value().outcome == ClientOutcome::ok);
    REQUIRE(again->value().outcome == ClientOutcome::ok);
    REQUIRE(read->value().found);
    REQUIRE(read->value().value == "2");
    REQUIRE(s.world().process_as<Server>(s.n1()).replica_id() == "n1.1");  // a new identity after the restart
}

TEST_CASE("crdt store scripted: what a type does not serve, or a malformed amount, fails and changes nothing", "[crdt]") {
    Store s("g_counter");
    auto down = s.ask(10, s.n1(), op(kv::Function::incr, "k", "-1"));
    auto put = s.ask(20, s.n1(), op(kv::Function::put, "k", "x"));
    auto garbage = s.ask(30, s.n1(), op(kv::Function::incr, "k", "one"));
    auto huge = s.ask(40, s.n1(), op(kv::Function::incr, "k", "99999999999"));
    auto read = s.ask(500, s.n2(), op(kv::Function::get, "k"));
    s.run_until_ms(1'000);
    for (const Reply& r : {down, put, garbage, huge}) REQUIRE(r->value().outcome == ClientOutcome::fail);
    REQUIRE(read->value().outcome == ClientOutcome::ok);
    REQUIRE_FALSE(read->value().found);  // never written: absent
}

TEST_CASE("crdt store scripted: a set reads in check::set_value's form, an emptied set reads as empty, not absent", "[crdt]") {
    Store s("or_set");
    s.ask(10, s.n1(), op(kv::Function::add, "k", "b"));
    s.ask(20, s.n1(), op(kv::Function::add, "k", "a"));
    auto both = s.ask(100, s.n2(), op(kv::Function::get, "k"));
    s.ask(200, s.n2(), op(kv::Function::remove, "k", "a"));
    s.ask(210, s.n2(), op(kv::Function::remove, "k", "b"));
    auto empty = s.ask(400, s.n1(), op(kv::Function::get, "k"));
    s.run_until_ms(1'000);
    REQUIRE(both->value().value == "a,b");
    REQUIRE(empty->value().found);
    REQUIRE(empty->value().value == "");
}
