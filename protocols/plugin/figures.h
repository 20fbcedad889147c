// Figures more than one protocol reports, computed the same way for each (a protocol's
// BuiltSystem::figures calls them).
#pragma once

#include "protocols/plugin/protocol_entry.h"

namespace faultline::plugin {

// Writes (put, append, a cas that swapped; incr, add, remove) acknowledged ok by a server that
// was cut off from every majority of `servers` from the write's invocation to its completion:
// what a CP design never does and an AP design does by choice. Needs the client to report
// served_by.
int64_t minority_ok_writes(const FigureInputs& in);
// Its spec (for ProtocolSpec::figures) and a BuiltSystem::figures that reports it alone.
scenario::FigureSpec minority_ok_writes_figure();
std::map<std::string, double> report_minority_ok_writes(const FigureInputs& in);

}  // namespace faultline::plugin
