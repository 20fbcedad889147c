// The reference's planted mistake (lab.toml's [[mistake]]s): the one the run's `mistake` option
// names, set by entry.cpp as the run builds its servers. A run is built and run on one thread, so
// each thread holds its own.
#pragma once

#include <string>
#include <string_view>

namespace faultline::lab06 {

inline thread_local std::string planted_mistake;

inline bool planted(std::string_view mistake) { return planted_mistake == mistake; }

}  // namespace faultline::lab06
