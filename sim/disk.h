// Disk: a node's durable key-value store with explicit sync, and its faults.
//
// Model
// - write/erase change what the node reads at once (the page cache) and are queued as unsynced.
// - sync() makes every queued change durable, in order. Durable data survives a crash; unsynced
//   changes do not (crash() drops them and reports how many were lost).
// - Every stored value carries a simulated checksum: a value damaged by a fault reads back as
//   DiskStatus::corrupt, so protocols can detect it (and must handle it).
//
// Faults (DiskFaults, all off by default; see sim/faults/disk_faults.h for the schedule side)
// - lost_sync_probability: sync() returns but the data stays unsynced (a lying fsync).
// - torn_write_probability: at a crash, the first unsynced write reaches the platter partially:
//   the key holds a strict prefix of the value, flagged corrupt.
// - corrupt_probability: at a crash, one durable key is damaged (bit rot found on restart).
// - sync_latency: a sync takes time; the kernel stalls the node (like a blocking fsync on the
//   event loop) and the data is durable only when the stall ends.
//
// Iteration (keys()) is in key order. The keys live in hash maps, because a protocol that writes a
// key per log entry looks one up on every write, erase and sync; everything that walks them (keys(),
// the key a corrupt-block fault picks) sorts first, so the hash order never reaches a run.
#pragma once

#include "sim/rng.h"
#include "sim/string_map.h"
#include "sim/time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faultline {

enum class DiskStatus : uint8_t { ok, not_found, corrupt };

struct DiskRead {
    DiskStatus status = DiskStatus::not_found;
    std::string value;  // for corrupt: the damaged bytes
    bool ok() const { return status == DiskStatus::ok; }
};

struct DiskFaults {
    double lost_sync_probability = 0;
    double torn_write_probability = 0;
    double corrupt_probability = 0;
    Duration sync_latency = Duration::zero();
};

// What a crash did to the disk, for the trace.
struct DiskCrashReport {
    std::size_t lost_writes = 0;
    std::optional<std::string> torn_key;
    std::optional<std::string> corrupted_key;
};

class Disk {
public:
    // The key by value: a caller's temporary moves into the unsynced change (a key per log entry
    // is written and erased once each).
    void write(std::string key, std::string value);
    void erase(std::string key);
    DiskRead read(const std::string& key) const;
    bool contains(const std::string& key) const { return current_.count(key) != 0; }
    // Keys with the prefix, in order.
    std::vector<std::string> keys(const std::string& prefix = {}) const;

    std::size_t unsynced_count() const { return unsynced_.size(); }
    uint64_t bytes_durable() const;

    // Kernel side. The node calls Context::sync(), which decides (with the node's disk rng)
    // whether the sync is lost and when it completes, then calls these.
    // Every change gets the next number of a sequence; a sync covers the changes written before
    // it, i.e. up to last_change() at the time it was called.
    uint64_t last_change() const { return next_change_ - 1; }
    // Makes every unsynced change numbered <= `through` durable (already durable or discarded
    // changes are skipped, so overlapping syncs and a crash in between are fine).
    void make_durable_through(uint64_t through);
    void make_durable() { make_durable_through(last_change()); }
    DiskCrashReport crash(Rng& rng, const DiskFaults& faults);
    // Damages a durable key now (the corrupt-block fault applied at a chosen time).
    std::optional<std::string> corrupt_random_key(Rng& rng);
    // Erases everything, durable or not (a replaced or reimaged machine); returns the keys erased.
    std::size_t wipe();

private:
    struct Stored {
        std::string value;
        bool corrupt = false;
    };
    struct Change {
        uint64_t number = 0;
        std::string key;
        std::optional<std::string> value;  // nullopt: erase
    };
    StringMap<Stored> durable_;
    StringMap<Stored> current_;
    std::vector<Change> unsynced_;  // in change-number order
    uint64_t next_change_ = 1;
};

}  // namespace faultline
