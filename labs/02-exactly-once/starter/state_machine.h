// Lab 02's state machine: a map from keys to values, and what each operation does to it. You need
// not change this file. It knows nothing of clients or retries: calling apply twice with the same
// append appends twice. Keeping that from happening is the lab.
//   get     reads a key (absent: found = false)
//   put     sets it
//   append  adds to its end (an absent key counts as "")
//   cas     sets it to `value` if it is present and equals `expected` (swapped says whether)
#pragma once

#include "protocols/kv/kv_client.h"

#include <map>
#include <string>

namespace faultline::lab02 {

using Data = std::map<std::string, std::string>;

kv::KvResult apply(Data& data, const kv::KvOp& op);

}  // namespace faultline::lab02
