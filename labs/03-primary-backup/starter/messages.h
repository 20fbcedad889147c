// Lab 03's messages. You need not change this file.
#pragma once

#include "protocols/kv/store.h"
#include "sim/node.h"

#include <string>

namespace faultline::lab03 {

// Who is primary and who is backup, as the view service decides. Views are numbered 1, 2, ...;
// a server that is neither is idle. no_node: none.
struct View {
    uint64_t number = 0;
    NodeId primary = no_node;
    NodeId backup = no_node;
    bool operator==(const View&) const = default;
    std::string describe() const {
        return "view " + std::to_string(number) + " p" + (primary == no_node ? "-" : std::to_string(primary)) + " b" +
               (backup == no_node ? "-" : std::to_string(backup));
    }
};

// Server -> view service, every ping interval: "I am alive, and I have set up view `acked`" (for
// a primary: its backup holds its state, so the view service may later promote that backup).
struct Ping {
    static constexpr std::string_view type_name = "lab03.ping";
    uint64_t acked = 0;
    uint32_t incarnation = 0;  // ctx.incarnation(): tells the view service the server restarted
    std::string describe() const { return "acked " + std::to_string(acked); }
};

// View service -> server or client: the current view.
struct ViewReply {
    static constexpr std::string_view type_name = "lab03.view";
    View view;
    std::string describe() const { return view.describe(); }
};

// Client -> view service: what is the current view?
struct GetView {
    static constexpr std::string_view type_name = "lab03.get_view";
    std::string describe() const { return ""; }
};

// Client -> primary: one operation; (client, sequence) make retries apply once (kv::Store).
struct Request {
    static constexpr std::string_view type_name = "lab03.request";
    kv::KvOp op;
    uint64_t client = 0;
    uint64_t sequence = 0;
    std::string describe() const { return op.describe() + " #" + std::to_string(sequence); }
};

struct Reply {
    static constexpr std::string_view type_name = "lab03.reply";
    bool ok = false;  // false: "I am not the primary (of the current view)": ask the view service
    kv::KvResult result;
    std::string describe() const { return ok ? "ok" : "not primary"; }
};

// Primary -> backup: apply this operation, in view `view`.
struct Forward {
    static constexpr std::string_view type_name = "lab03.forward";
    uint64_t view = 0;
    kv::KvOp op;
    uint64_t client = 0;
    uint64_t sequence = 0;
    std::string describe() const { return "view " + std::to_string(view) + " " + op.describe(); }
};

struct ForwardAck {
    static constexpr std::string_view type_name = "lab03.forward_ack";
    uint64_t view = 0;
    bool ok = false;  // false: refused (the backup is in another view, or is not the backup)
    std::string describe() const { return (ok ? "ok view " : "refused view ") + std::to_string(view); }
};

// Primary -> backup: the primary's whole state, when the backup is new.
struct StateTransfer {
    static constexpr std::string_view type_name = "lab03.state";
    View view;
    kv::Store store;
    std::string describe() const { return view.describe() + ", " + std::to_string(store.data().size()) + " keys"; }
};

struct StateAck {
    static constexpr std::string_view type_name = "lab03.state_ack";
    uint64_t view = 0;
    std::string describe() const { return "view " + std::to_string(view); }
};

}  // namespace faultline::lab03
