// Lab 06's plug-in: the protocol's spec (options, operations, figures) and how a run builds it.
// entry.cpp calls lab_entry. You need not change this file.
#pragma once

#include "protocols/plugin/protocol_entry.h"

#include <functional>
#include <string>
#include <vector>

namespace faultline::lab06 {

// The reference solution's typical partial solutions (option `mistake`), and how a run plants the
// one chosen (before it builds the servers). The starter has none.
struct Mistakes {
    std::vector<std::string> names;
    std::function<void(const std::string&)> plant;
};

plugin::ProtocolEntry lab_entry(Mistakes mistakes = {});

}  // namespace faultline::lab06
