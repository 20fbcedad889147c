#include "sim/scheduled_chooser.h"

#include "sim/rng.h"
#include "sim/world.h"

namespace faultline {

Choice ScheduledChooser::choose(const World& world, const ChoicePoint& point) {
    const uint64_t index = count_++;
    if (recording_ && index >= record_first_) {
        uint64_t key = hash_label(point.what, world.state_fingerprint());
        key = hash_label(point.kind == ChoiceKind::message ? "message" : "buggify", key ^ (uint64_t{point.from} << 32 | point.to));
        records_.push_back({index, point.kind, key});
    }
    if (next_ < schedule_.size() && schedule_[next_].first == index) return schedule_[next_++].second;
    return Choice::as_drawn;
}

}  // namespace faultline
