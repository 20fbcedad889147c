// The registered protocols: every protocol a scenario can name.
//
// The list itself is generated at configure time from the `faultline_protocol(<name>)` lines of
// protocols/CMakeLists.txt and the labs' CMakeLists.txt (cmake/FaultlineProtocol.cmake): each
// line links the folder's library and adds `faultline::<name>::entry()` here, in line order.
#pragma once

#include "protocols/plugin/protocol_entry.h"

#include <string_view>
#include <vector>

namespace faultline::plugin {

// Every registered protocol, in registration order; built once, on first use.
const std::vector<ProtocolEntry>& protocols();
const ProtocolEntry* find_protocol(std::string_view name);

// Defined by the generated registration file: the entries, in registration order.
std::vector<ProtocolEntry> registered_protocols();

}  // namespace faultline::plugin
