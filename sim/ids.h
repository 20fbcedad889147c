// Identifiers shared by the kernel and node code.
#pragma once

#include <cstdint>
#include <limits>

namespace faultline {

// A node is named in scenarios ("n1") and numbered densely from 0 inside a run, in the order the
// nodes were added. Clients are nodes too (they suffer partitions like anyone else).
using NodeId = uint32_t;
inline constexpr NodeId no_node = std::numeric_limits<NodeId>::max();

// A timer handle, unique within a run; 0 is never a valid timer.
using TimerId = uint64_t;
// A message id, unique within a run; duplicates of a message get their own id.
using MessageId = uint64_t;
// A fiber id, unique within a run; 0 is never a valid fiber.
using FiberId = uint64_t;
// Index of an event in the run's trace.
using EventIndex = uint64_t;
inline constexpr EventIndex no_event = std::numeric_limits<EventIndex>::max();

}  // namespace faultline
