// Small processes shared by the kernel tests: a recorder that remembers what it received and
// when (by its local clock), and an echo server that answers every request.
#pragma once

#include "sim/world.h"

#include <string>
#include <vector>

namespace faultline::test {

struct Note {
    static constexpr std::string_view type_name = "note";
    int64_t value = 0;
    std::string describe() const { return std::to_string(value); }
};

struct Received {
    NodeId from;
    int64_t value;
    Instant local_time;
    Instant true_time;
};

// Records every Note it receives; fires timers set by tests through `timer_tags`.
class Recorder final : public Process {
public:
    explicit Recorder(std::vector<Received>* sink, World* world) : sink_(sink), world_(world) {}
    void on_message(Context& ctx, const Envelope& m) override {
        sink_->push_back({m.from, m.get<Note>().value, ctx.now(), world_->now()});
    }

private:
    std::vector<Received>* sink_;
    World* world_;
};

// Answers every Note with a Note of value + 1000.
class Echo final : public Process {
public:
    void on_message(Context& ctx, const Envelope& m) override {
        ctx.reply(m, Note{m.get<Note>().value + 1000});
    }
};

// A process that does nothing (a target for messages, or a node whose context tests use).
class Idle final : public Process {};

inline ProcessFactory idle() {
    return [] { return std::make_unique<Idle>(); };
}

// Sends `count` Notes from `from` to `to` right now, as a world action on a node's behalf.
// Tests use a sender process for this: a Process whose on_start sends.
class Sender final : public Process {
public:
    Sender(NodeId to, int count) : to_(to), count_(count) {}
    void on_start(Context& ctx) override {
        for (int i = 0; i < count_; ++i) ctx.send(to_, Note{i});
    }

private:
    NodeId to_;
    int count_;
};

inline ProcessFactory sender(NodeId to, int count) {
    return [to, count] { return std::make_unique<Sender>(to, count); };
}

inline ProcessFactory recorder(std::vector<Received>* sink, World* world) {
    return [sink, world] { return std::make_unique<Recorder>(sink, world); };
}

}  // namespace faultline::test
