// Lab 03's server: primary, backup or idle, as the view service says. THIS IS THE FILE YOU EDIT
// (with server.cpp).
//
// As handed out, a server pings the view service, adopts every newer view it hears of, and, when
// it is the primary, applies each client request to its own store and answers. Nothing reaches
// the backup: when the primary crashes, the backup takes over with nothing, and every write the
// old primary acknowledged is gone. And a primary that has been replaced without knowing it (cut
// off from the view service, but not from its clients) goes on answering. Your job: a backup
// that holds everything the primary acknowledged, and an old primary that can complete nothing.
#pragma once

#include "messages.h"

#include <string>

namespace faultline::lab03 {

class Server final : public Process {
public:
    explicit Server(std::string view_service) : view_service_name_(std::move(view_service)) {}

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& message) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    const kv::Store& store() const { return store_; }
    const View& view() const { return view_; }

private:
    void ping(Context& ctx);
    void on_view(Context& ctx, const View& v);
    void on_request(Context& ctx, const Envelope& m, const Request& r);

    std::string view_service_name_;
    NodeId view_service_ = no_node;
    View view_;      // the newest view this server has heard of
    uint64_t acked_ = 0;  // the view this server tells the view service it has set up
    kv::Store store_;     // the data, with one session per client (retries apply once)
    // TODO(you): what a primary needs to forward each operation to its backup and wait for the
    // answer, and to hand a new backup its state before it acknowledges the view.
};

ProcessFactory server(std::string view_service);

}  // namespace faultline::lab03
