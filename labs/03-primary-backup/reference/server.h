// Lab 03's reference server (instructors' copy): forwards every operation to the backup in the
// current view and answers only once the backup applied it there; hands a new backup the whole
// store before acknowledging the view; a backup refuses forwards of any other view or sender.
// `mistake` turns it into one of the typical partial solutions the grader must catch.
#pragma once

#include "messages.h"

#include <deque>
#include <string>

namespace faultline::lab03 {

enum class Mistake { none, no_forwarding, no_fencing, no_state_transfer, reads_served_locally };

class Server final : public Process {
public:
    Server(std::string view_service, Mistake mistake) : view_service_name_(std::move(view_service)), mistake_(mistake) {}

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& message) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    const kv::Store& store() const { return store_; }
    const View& view() const { return view_; }

private:
    struct Waiting {
        Envelope message;
        Request request;
    };
    void ping(Context& ctx);
    void on_view(Context& ctx, const View& v);
    void on_request(Context& ctx, const Envelope& m, const Request& r);
    void on_forward(Context& ctx, const Envelope& m, const Forward& f);
    void on_forward_ack(Context& ctx, const Envelope& m, const ForwardAck& a);
    void on_state(Context& ctx, const Envelope& m, const StateTransfer& t);
    void pump(Context& ctx);
    void finish_head(Context& ctx, bool ok);
    void send_state(Context& ctx);

    std::string view_service_name_;
    Mistake mistake_;
    NodeId view_service_ = no_node;
    View view_;
    uint64_t acked_ = 0;
    kv::Store store_;
    std::deque<Waiting> waiting_;  // the primary's requests, the first one being forwarded
    bool forwarding_ = false;
    TimerId forward_timer_{};
};

ProcessFactory server(std::string view_service, Mistake mistake);

}  // namespace faultline::lab03
