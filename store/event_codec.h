// The stored form of trace events: packed chunks of events, one BLOB per chunk row.
//
// Why not one SQL row per event: measured on the 2-core build machine (docs/run_store.md), one
// row per event wrote 0.5-1.0 M events/s at ~62 bytes per event, three to four times slower than
// the kernel produces them; the target is that storing a trace costs less than the
// simulation. Packed chunks write an order of magnitude faster at a fifth of the size. The
// price: events cannot be filtered in SQL; readers decode them (load_run) and filter in C++.
//
// Encoding (version 1; the chunk row's `encoding` column names it). Per event, in index order:
//   kind      1 byte (EventKind code)
//   flags     1 byte: bit 0 cause present, bit 1 node present, bit 2 peer present,
//                     bit 3 reason != 0, bit 4 name != 0, bit 5 text non-empty
//   time      zig-zag varint of (time - previous event's time), the first against 0
//   local     zig-zag varint of (local_time - time)
//   lamport   zig-zag varint of (lamport - previous lamport), the first against 0
//   id        varint
//   cause     varint of (index - cause), wrapping, if present
//   node      varint, if present          peer   varint, if present
//   reason    1 byte, if non-zero          name   varint, if non-zero
//   text      varint length, then the bytes, if non-empty
// Differences are taken in unsigned 64-bit arithmetic, so every value round-trips exactly.
// The index is implicit: chunk.first_index + position.
#pragma once

#include "sim/trace.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::store {

inline constexpr int event_encoding_version = 1;

// Appends the encoding of `events` (whose indexes must be consecutive) to `out`.
void encode_events(std::span<const TraceEvent> events, std::string& out);

// Decodes `count` events numbered from `first_index` and appends them to `out`. On malformed
// input returns a description of what is wrong (and where) and leaves `out` with the events
// decoded so far; on success returns std::nullopt.
std::optional<std::string> decode_events(std::string_view bytes, uint64_t first_index, uint64_t count,
                                         std::vector<TraceEvent>& out);

}  // namespace faultline::store
