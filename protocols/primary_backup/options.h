// Primary-backup replication: options.
//
// Two modes, the lesson being the difference between them:
// - naive:  a backup that stops hearing the primary's heartbeats promotes itself; a primary
//           that cannot reach a backup drops it and carries on. Under a partition both sides
//           serve clients (split brain); when the partition heals, the primary with the lower
//           (epoch, id) steps down and adopts the other's state, losing writes it acknowledged.
//           Reads are answered from the primary's memory, so they can be stale. A teaching
//           exhibit: it really loses acknowledged writes (tests prove it).
// - fenced: a view service (one node, assumed reliable; it is not a replica) assigns views
//           (epoch, primary, backups). Only a backup of the current, acknowledged view can be
//           promoted, and every operation (reads too) needs the acknowledgement of every backup
//           of the primary's view, each of which refuses older epochs: an old primary can
//           complete nothing once a newer view exists (fencing tokens). Linearizable; not
//           available while the view service cannot reach a primary.
// Every duration is in the node's local time.
#pragma once

#include "sim/time.h"

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::primary_backup {

enum class Mode : uint8_t { naive, fenced };

struct Options {
    Mode mode = Mode::fenced;
    std::vector<std::string> replicas;   // names, in order; the first is the initial primary
    std::string view_service = "vs";     // fenced mode only
    Duration heartbeat_interval = milliseconds(50);
    // Naive: a backup promotes itself after this long without a heartbeat.
    Duration promote_after = milliseconds(200);
    // How long the primary waits for backup acknowledgements before (naive) dropping the
    // silent backups or (fenced) sending again.
    Duration replicate_timeout = milliseconds(60);
    // Fenced: the view service declares a replica dead after this long without a ping.
    Duration dead_after = milliseconds(250);
};

}  // namespace faultline::primary_backup
