// Palette: the colours every view of a run uses (the GUI timeline and the SVG export), so that
// one legend explains both. Colours are 0xRRGGBB; alpha is the caller's.
//
// Choices: message types take a qualitative palette (Okabe-Ito, readable by colour-blind
// students) by order of first appearance; outcomes use green/red/amber as Jepsen's reports do;
// a node's role tints its lane (leader gold, candidate orange, follower none), so a split brain
// shows as two gold lanes at once.
#pragma once

#include <cstdint>
#include <string_view>

namespace faultline::view::palette {

inline constexpr uint32_t message_types[] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9,
                                             0xD55E00, 0x8C6D31, 0x6A3D9A, 0x999933, 0x117733};
inline constexpr int message_type_count = sizeof(message_types) / sizeof(message_types[0]);
inline uint32_t message_type(int slot) {
    return slot < 0 ? 0x808080u : message_types[slot % message_type_count];
}

inline constexpr uint32_t op_ok = 0x2E9E44;
inline constexpr uint32_t op_fail = 0xD62728;
inline constexpr uint32_t op_info = 0xE8A317;
inline constexpr uint32_t op_pending = 0x9A9A9A;
inline constexpr uint32_t drop = 0xD62728;
inline constexpr uint32_t crash = 0xC00000;
inline constexpr uint32_t restart = 0x2E9E44;
inline constexpr uint32_t down = 0x6E6E6E;
inline constexpr uint32_t paused = 0x7A6FB0;
// A counterexample: deep violet (and hatched where it covers a window), unlike a partition's tints
// and the pinkish red of a cut lane.
inline constexpr uint32_t counterexample = 0x5B2A9E;
inline constexpr uint32_t cursor = 0xFF4040;
inline constexpr uint32_t clock_fault = 0x17BECF;
// A lane that cannot reach some nodes under a partition that is not a clean grouping.
inline constexpr uint32_t cut = 0xE06666;

// Partition groups: light tints, one per side.
inline constexpr uint32_t groups[] = {0x4C9BE8, 0xE8804C, 0x5CC46A, 0xB565D9, 0xD9C94C, 0x4CD9D0};
inline constexpr int group_count = sizeof(groups) / sizeof(groups[0]);
inline uint32_t group(int g) { return groups[(g < 0 ? 0 : g) % group_count]; }

// A role annotation's tint; 0 = none (followers and unknown roles draw no tint).
inline uint32_t role(std::string_view value) {
    if (value == "leader" || value == "primary") return 0xF2C12E;
    if (value == "candidate" || value == "pre_candidate" || value == "precandidate") return 0xF28C28;
    return 0;
}

}  // namespace faultline::view::palette
