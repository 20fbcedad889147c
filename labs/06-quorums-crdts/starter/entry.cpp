// Lab 06's entry: the protocol registered as `lab06`, built from your files. You need not change it.
#include "lab_entry.h"

namespace faultline::lab06 {

plugin::ProtocolEntry entry() { return lab_entry(); }

}  // namespace faultline::lab06
