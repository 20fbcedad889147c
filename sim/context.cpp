// Context: the node API, forwarding to the kernel. Calls from a node that is down (a destructor
// running while a crash unwinds its fibers) are ignored rather than acted on.
#include "sim/world_internal.h"

namespace faultline {

const std::string& Context::name() const { return world_->node_name(id_); }
std::size_t Context::node_count() const { return world_->node_count(); }
const std::string& Context::node_name(NodeId node) const { return world_->node_name(node); }
std::optional<NodeId> Context::find_node(std::string_view name) const { return world_->find_node(name); }
uint32_t Context::incarnation() const { return world_->incarnation(id_); }
Instant Context::now() const { return world_->local_time(id_); }
Rng& Context::rng() { return world_->node(id_).rng; }
Disk& Context::disk() { return world_->node(id_).disk; }

void Context::sync() {
    auto& n = world_->node(id_);
    if (!n.up) return;
    world_->sync(n);
}

MessageId Context::send_payload(NodeId to, Payload&& payload, uint64_t call_id, uint64_t in_reply_to) {
    return world_->send_from(id_, to, std::move(payload), call_id, in_reply_to);
}

TimerId Context::set_timer(Duration delay, uint64_t tag) {
    auto& n = world_->node(id_);
    if (!n.up) return 0;
    return world_->add_timer(n, delay, tag, 0, 0);
}

void Context::cancel_timer(TimerId timer) {
    auto& n = world_->node(id_);
    if (!n.up) return;
    world_->cancel_timer(n, timer);
}

void Context::log(std::string_view line) {
    auto& n = world_->node(id_);
    if (!n.up) return;
    world_->emit(EventKind::log, &n, no_node, 0, no_event, 0, line);
}

void Context::annotate(std::string_view key, std::string_view value) {
    auto& n = world_->node(id_);
    if (!n.up) return;
    world_->emit(EventKind::annotate, &n, no_node, 0, no_event, world_->trace_.intern(key), value);
}

bool Context::buggify(std::string_view site, double probability) {
    auto& n = world_->node(id_);
    if (!n.up) return false;
    return world_->buggify(n, site, probability);
}

void Context::crash_and_restart(Duration down_for) {
    FL_ASSERT(down_for >= Duration::zero(), "a restart before the crash");
    auto& n = world_->node(id_);
    if (!n.up) return;
    crash_after_event(*world_, id_, n.incarnation, down_for);
}

uint64_t Context::client_invoke(std::string_view operation) {
    auto& n = world_->node(id_);
    uint64_t op = world_->next_client_op_++;
    if (n.up) world_->emit(EventKind::client_invoke, &n, no_node, op, no_event, 0, operation);
    return op;
}

void Context::client_complete(uint64_t operation, ClientOutcome outcome, std::string_view result) {
    auto& n = world_->node(id_);
    if (!n.up) return;
    world_->emit(EventKind::client_complete, &n, no_node, operation, no_event, 0, result,
                 static_cast<uint8_t>(outcome));
}

FiberId Context::spawn(std::string_view name, std::function<void(Context&)> body) {
    return world_->spawn(world_->node(id_), name, std::move(body));
}

bool Context::in_fiber() const { return world_->current_fiber_ != nullptr; }

void Context::sleep(Duration delay) {
    world_->current_fiber("sleep");
    world_->block_current_fiber(world_->node(id_), FiberWait::sleep, delay);
}

std::optional<Envelope> Context::receive(Duration timeout) {
    auto& f = world_->current_fiber("receive");
    auto& n = world_->node(id_);
    n.receivers.push_back(f.id);
    world_->block_current_fiber(n, FiberWait::receive, timeout);
    return std::move(f.inbox);
}

std::optional<Envelope> Context::call_payload(NodeId to, Payload request, Duration timeout) {
    auto& f = world_->current_fiber("call");
    auto& n = world_->node(id_);
    uint64_t call_id = world_->next_call_id_++;
    n.callers.emplace(call_id, f.id);
    f.waiting_call = call_id;
    world_->send_from(id_, to, std::move(request), call_id, 0);
    world_->block_current_fiber(n, FiberWait::call, timeout);
    // block_current_fiber cleared waiting_call; a timeout already removed the caller entry.
    return std::move(f.inbox);
}

namespace {
class FiberProcess final : public Process {
public:
    FiberProcess(std::function<void(Context&)> body, std::function<void(Context&, const Envelope&)> on_message)
        : body_(std::move(body)), on_message_(std::move(on_message)) {}
    void on_start(Context& ctx) override { ctx.spawn("main", body_); }
    void on_message(Context& ctx, const Envelope& m) override {
        if (on_message_) on_message_(ctx, m);
    }

private:
    std::function<void(Context&)> body_;
    std::function<void(Context&, const Envelope&)> on_message_;
};
}  // namespace

ProcessFactory fiber_process(std::function<void(Context&)> body,
                             std::function<void(Context&, const Envelope&)> on_message) {
    return [body = std::move(body), on_message = std::move(on_message)] {
        return std::make_unique<FiberProcess>(body, on_message);
    };
}

}  // namespace faultline
