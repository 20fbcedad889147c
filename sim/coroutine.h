// Coroutine: the kernel's stack switch, a thin layer over boost::context::fiber.
//
// One Coroutine runs one body on its own stack. resume() (from the kernel) runs the body until it
// calls suspend() or returns; suspend() (from inside the body) switches back to whoever resumed
// it. Destroying a suspended Coroutine unwinds its stack (Boost throws forced_unwind inside it),
// so destructors in the body run; a body must not swallow that exception.
//
// Exceptions: any other exception that escapes the body (a failed FL_ASSERT inside a contained
// run, or a protocol's own) is caught at the fiber boundary, where it could not propagate, and
// rethrown by resume() on the resumer's stack. The body has then finished (alive() is false).
//
// This is the whole cost of a fiber switch in Faultline: the kernel's fiber bookkeeping (timers,
// mailboxes, trace records) sits around it in world_fibers.cpp. faultline-bench times this class
// against raw boost::context::fiber in the same binary.
#pragma once

#include "sim/assert.h"

#include <boost/context/fiber.hpp>
#include <boost/context/pooled_fixedsize_stack.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <utility>

namespace faultline {

class Coroutine {
public:
    using StackAllocator = boost::context::pooled_fixedsize_stack;

    Coroutine() = default;
    Coroutine(StackAllocator& stacks, std::function<void()> body)
        : body_(std::make_unique<std::function<void()>>(std::move(body))) {
        auto* bp = body_.get();
        auto* self = this;
        // `this` must not move while the coroutine lives: callers hold Coroutines by pointer.
        self_ = boost::context::fiber(std::allocator_arg, stacks, [bp, self](boost::context::fiber&& caller) {
            self->caller_ = std::move(caller);
            try {
                (*bp)();
            } catch (const boost::context::detail::forced_unwind&) {
                throw;  // Boost's own unwinding of a destroyed fiber: it must reach the fiber's entry
            } catch (...) {
                self->failure_ = std::current_exception();
            }
            return std::move(self->caller_);
        });
    }
    Coroutine(const Coroutine&) = delete;
    Coroutine& operator=(const Coroutine&) = delete;
    Coroutine(Coroutine&&) = delete;
    Coroutine& operator=(Coroutine&&) = delete;
    ~Coroutine() {
        // Unwind a suspended body before its captures (body_) go away.
        self_ = boost::context::fiber();
    }

    // True until the body has returned.
    bool alive() const { return static_cast<bool>(self_); }

    // From outside: run the body until it suspends or returns.
    void resume() {
        FL_ASSERT(self_, "resuming a coroutine that has finished or is running");
        self_ = std::move(self_).resume();
        if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
    }

    // From inside the body: give control back to the resumer.
    void suspend() {
        FL_ASSERT(caller_, "suspending a coroutine that is not running");
        caller_ = std::move(caller_).resume();
    }

private:
    std::unique_ptr<std::function<void()>> body_;
    boost::context::fiber self_;    // the suspended body; empty while it runs and once finished
    boost::context::fiber caller_;  // the resumer, held while the body runs
    std::exception_ptr failure_;    // what escaped the body, until resume() rethrows it
};

}  // namespace faultline
