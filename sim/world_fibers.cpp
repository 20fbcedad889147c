// The kernel's fibers: spawn, resume, block (sleep / receive / call) and their wake-ups.
//
// Control flow: only the kernel resumes a fiber, from an event of the fiber's node (its start,
// the delivery it waited for, or its timeout timer). A fiber gives control back by blocking or
// by returning. So at most one fiber runs at a time and there is no nesting: a fiber's sends and
// timers become events, never direct calls into another fiber.
#include "sim/world_internal.h"

#include <algorithm>

namespace faultline {

FiberId World::spawn(Node& n, std::string_view name, std::function<void(Context&)> body) {
    FL_ASSERT(n.up, "spawning a fiber on node {} which is down", n.name);
    FL_ASSERT(n.fibers.size() < options_.max_fibers_per_node, "node {} has too many fibers ({})", n.name,
              n.fibers.size());
    FL_ASSERT(body != nullptr, "fiber '{}' on node {} has no body", name, n.name);
    auto f = std::make_unique<Fiber>();
    f->id = next_fiber_id_++;
    f->name_id = trace_.intern(name);
    f->body = std::move(body);
    Fiber* fp = f.get();
    Node* np = &n;
    f->coroutine = std::make_unique<Coroutine>(stacks_, [fp, np] { fp->body(*np->ctx); });
    FiberId id = f->id;
    n.fibers.emplace(id, std::move(f));
    emit(EventKind::fiber_spawn, &n, no_node, id, no_event, fp->name_id, {});
    // Starts as its own event: the spawning handler runs to completion first.
    push(Event{.at = now_, .a = id, .node = n.id, .incarnation = n.incarnation, .type = ev_fiber_start});
    return id;
}

void World::resume_fiber(Node& n, Fiber& f) {
    FL_ASSERT(current_fiber_ == nullptr, "fiber {} resumed from inside another fiber", f.id);
    FL_ASSERT(f.coroutine->alive(), "fiber {} on node {} is not suspended", f.id, n.name);
    if (f.token > 0) {
        auto wake = f.inbox ? FiberWake::message : FiberWake::timeout;
        emit(EventKind::fiber_resume, &n, no_node, f.id, no_event, f.name_id, {}, static_cast<uint8_t>(wake));
    }
    current_node_ = &n;
    current_fiber_ = &f;
    f.coroutine->resume();
    current_node_ = nullptr;
    current_fiber_ = nullptr;
    if (!f.coroutine->alive()) {
        // The body returned. Its stack is gone; drop the record (and any stale timeout).
        FiberId id = f.id;
        emit(EventKind::fiber_exit, &n, no_node, id, no_event, f.name_id, {});
        cancel_timer(n, f.timeout_timer);
        n.fibers.erase(id);
    }
}

World::Fiber& World::current_fiber(std::string_view op) {
    FL_ASSERT(current_fiber_ != nullptr, "Context::{} blocks, so it may only be called inside a fiber", op);
    return *current_fiber_;
}

void World::block_current_fiber(Node& n, FiberWait why, Duration timeout) {
    Fiber& f = *current_fiber_;
    FL_ASSERT(&n == current_node_, "a fiber blocks on a node that is not its own");
    FL_ASSERT(n.up, "a fiber of node {} blocks while its node is down (during a crash's unwind)", n.name);
    ++f.token;
    f.inbox.reset();
    f.timeout_timer = timeout == Duration::max() ? 0 : add_timer(n, timeout, 0, f.id, f.token);
    emit(EventKind::fiber_block, &n, no_node, f.id, no_event, f.name_id, {}, static_cast<uint8_t>(why));
    // Switch back to the kernel; we continue here when an event resumes us.
    f.coroutine->suspend();
    // Resumed: by a message (inbox set) or by the timeout (inbox empty).
    if (f.inbox) cancel_timer(n, f.timeout_timer);
    f.timeout_timer = 0;
    f.waiting_call = 0;
}

}  // namespace faultline
