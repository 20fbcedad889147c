// Lab 06's reference entry: the starter's plug-in with the typical partial solutions.
#include "lab_entry.h"
#include "planted.h"

namespace faultline::lab06 {

plugin::ProtocolEntry entry() {
    return lab_entry(Mistakes{{"one_reply", "last_arrival_wins", "no_read_repair", "repairs_every_replica",
                               "counter_merge_adds", "merge_intersects"},
                              [](const std::string& m) { planted_mistake = m; }});
}

}  // namespace faultline::lab06
