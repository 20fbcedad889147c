// ScheduledChooser: a Chooser that answers a fixed schedule (choice point number -> choice) and
// as_drawn everywhere else; a scenario's [explored] choices replay through it, and exploration
// runs with it, asking it to record the points it passes.
#pragma once

#include "sim/choice.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace faultline {

struct ChoiceRecord {
    uint64_t index = 0;
    ChoiceKind kind = ChoiceKind::message;
    // The world's state_fingerprint() folded with the point (kind, nodes, what): two points with
    // equal keys offer the same alternatives from the same state.
    uint64_t key = 0;
};

class ScheduledChooser final : public Chooser {
public:
    // `schedule` by index, increasing.
    explicit ScheduledChooser(std::vector<std::pair<uint64_t, Choice>> schedule) : schedule_(std::move(schedule)) {}
    // Record every point numbered `first` or later (each costs a state fingerprint).
    void record_from(uint64_t first) {
        recording_ = true;
        record_first_ = first;
    }
    Choice choose(const World& world, const ChoicePoint& point) override;
    uint64_t points() const { return count_; }  // choice points reached so far
    // Scheduled choices whose point the run has not reached (yet): by index.
    std::vector<std::pair<uint64_t, Choice>> unreached() const {
        return {schedule_.begin() + static_cast<std::ptrdiff_t>(next_), schedule_.end()};
    }
    const std::vector<ChoiceRecord>& records() const { return records_; }

private:
    std::vector<std::pair<uint64_t, Choice>> schedule_;
    std::size_t next_ = 0;
    uint64_t count_ = 0;
    bool recording_ = false;
    uint64_t record_first_ = 0;
    std::vector<ChoiceRecord> records_;
};

}  // namespace faultline
