#include "sim/disk.h"

#include "sim/assert.h"

#include <algorithm>

namespace faultline {

void Disk::write(std::string key, std::string value) {
    // Assigning into the stored string reuses its buffer when a key is rewritten (a log slot
    // written again, a state record kept in two slots): no allocation for the page cache's copy.
    Stored& stored = current_[key];
    stored.value = value;
    stored.corrupt = false;
    unsynced_.push_back(Change{next_change_++, std::move(key), std::move(value)});
}

void Disk::erase(std::string key) {
    current_.erase(key);
    unsynced_.push_back(Change{next_change_++, std::move(key), std::nullopt});
}

DiskRead Disk::read(const std::string& key) const {
    auto it = current_.find(key);
    if (it == current_.end()) return DiskRead{DiskStatus::not_found, {}};
    return DiskRead{it->second.corrupt ? DiskStatus::corrupt : DiskStatus::ok, it->second.value};
}

namespace {
// The keys that start with `prefix`, in key order: the hash maps' own order must not reach a run.
template <typename Map>
std::vector<std::string> sorted_keys(const Map& map, const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& [key, stored] : map)
        if (key.compare(0, prefix.size(), prefix) == 0) out.push_back(key);
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

std::vector<std::string> Disk::keys(const std::string& prefix) const { return sorted_keys(current_, prefix); }

uint64_t Disk::bytes_durable() const {
    uint64_t n = 0;
    for (const auto& [k, v] : durable_) n += k.size() + v.value.size();
    return n;
}

void Disk::make_durable_through(uint64_t through) {
    FL_ASSERT(through < next_change_, "syncing through change {} which was never written", through);
    std::size_t count = 0;
    while (count < unsynced_.size() && unsynced_[count].number <= through) ++count;
    for (std::size_t i = 0; i < count; ++i) {
        Change& c = unsynced_[i];
        if (c.value) {
            // The change's key and value move in (the key only when it is new to the platter).
            durable_.insert_or_assign(std::move(c.key), Stored{std::move(*c.value), false});
        } else {
            durable_.erase(c.key);
        }
    }
    unsynced_.erase(unsynced_.begin(), unsynced_.begin() + static_cast<long>(count));
}

std::size_t Disk::wipe() {
    std::size_t keys = durable_.size();
    durable_.clear();
    current_.clear();
    unsynced_.clear();
    return keys;
}

DiskCrashReport Disk::crash(Rng& rng, const DiskFaults& faults) {
    DiskCrashReport report;
    report.lost_writes = unsynced_.size();
    // Draw both decisions unconditionally so one fault's presence does not shift the other's draw.
    bool tear = rng.bernoulli(faults.torn_write_probability);
    bool rot = rng.bernoulli(faults.corrupt_probability);
    if (tear && !unsynced_.empty() && unsynced_.front().value && !unsynced_.front().value->empty()) {
        const Change& first = unsynced_.front();
        std::size_t keep = static_cast<std::size_t>(rng.below(first.value->size()));
        durable_[first.key] = Stored{first.value->substr(0, keep), true};
        report.torn_key = first.key;
    }
    unsynced_.clear();
    if (rot) report.corrupted_key = corrupt_random_key(rng);
    current_ = durable_;
    FL_ASSERT(unsynced_.empty(), "a crash leaves nothing unsynced");
    return report;
}

std::optional<std::string> Disk::corrupt_random_key(Rng& rng) {
    if (durable_.empty()) return std::nullopt;
    // The n-th key in key order, as a std::map would give it: the hash order must not choose.
    const std::vector<std::string> keys = sorted_keys(durable_, "");
    auto it = durable_.find(keys[static_cast<std::size_t>(rng.below(keys.size()))]);
    it->second.corrupt = true;
    if (!it->second.value.empty()) {
        std::size_t pos = static_cast<std::size_t>(rng.below(it->second.value.size()));
        it->second.value[pos] = static_cast<char>(it->second.value[pos] ^ 0x5a);
    }
    auto cur = current_.find(it->first);
    if (cur != current_.end()) cur->second = it->second;
    return it->first;
}

}  // namespace faultline
