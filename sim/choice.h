// Choice points: where a run's schedule could go another way, for systematic exploration.
//
// A seeded run draws each message's fate from the sender's network stream and each buggify
// site's firing from the site's stream. With a Chooser installed (WorldOptions::chooser), the
// kernel also asks it at each such point, numbered in the order the run reaches them:
//   - a message about to be sent (after a partition's cut): as drawn, lost, late (delivered
//     `late_by` after its drawn latency, so later messages overtake it), or its sender crashes as
//     it leaves: neither it nor the rest of that event's sends go out (nor its syncs), and the
//     sender is restarted `restart_after` later;
//   - a buggify site reached: it fires only when chosen (the seeded draw is not made).
// A Chooser that always answers `as_drawn` gives the seeded run back, draw for draw: the network
// draws are made before the choice is applied, so a deviation moves no other draw. A run is then
// a pure function of (scenario, seed, build, the choices made): `faultline explore` re-executes
// runs from choice prefixes (runner/explore/).
#pragma once

#include "sim/ids.h"
#include "sim/time.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace faultline {

class World;

enum class ChoiceKind : uint8_t { message, buggify };

enum class Choice : uint8_t {
    as_drawn = 0,  // what the seed draws (a buggify site: does not fire)
    lost,          // message: dropped as a loss
    late,          // message: delivered late_by after its drawn latency
    crash,         // message: its sender crashes instead of sending it (and the event's later sends)
    fire,          // buggify: the site fires
};

inline constexpr std::array<std::string_view, 5> choice_names{"as_drawn", "lost", "late", "crash", "fire"};
inline std::string_view choice_name(Choice c) { return choice_names[static_cast<std::size_t>(c)]; }
inline std::optional<Choice> choice_named(std::string_view name) {
    for (std::size_t i = 0; i < choice_names.size(); ++i)
        if (choice_names[i] == name) return static_cast<Choice>(i);
    return std::nullopt;
}

struct ChoicePoint {
    ChoiceKind kind = ChoiceKind::message;
    NodeId from = no_node;  // the sender, or the node at the buggify site
    NodeId to = no_node;    // the destination (messages)
    std::string_view what;  // the payload's type name, or the site's name
};

class Chooser {
public:
    virtual ~Chooser() = default;
    // The run's next choice point (numbered from 0 by the caller's own count). The world is
    // readable (World::state_fingerprint) and must not be changed.
    virtual Choice choose(const World& world, const ChoicePoint& point) = 0;
    Duration late_by = milliseconds(100);
    Duration restart_after = milliseconds(200);
};

}  // namespace faultline
