// final_values (checker_entry.h): what survived at the end, for the checkers of lost writes and
// session guarantees.
#include "runner/checkers/checker_entry.h"

#include <algorithm>

namespace faultline::runner {

std::map<std::string, std::vector<std::string>> final_values(const SystemRun& run) {
    std::map<std::string, std::vector<std::string>> out;
    if (run.built.replica_states) {
        // Only a key's own replicas count: a stand-in's copy (a hint not yet handed back, say)
        // is not the key's state.
        for (const plugin::ReplicaState& r : run.built.replica_states(run.cluster)) {
            for (const auto& [key, values] : r.values) {
                if (run.built.replicas_of) {
                    const std::vector<NodeId> replicas = run.built.replicas_of(key);
                    if (std::find(replicas.begin(), replicas.end(), r.node) == replicas.end()) continue;
                }
                out[key].insert(out[key].end(), values.begin(), values.end());
            }
        }
        for (auto& [key, values] : out) {
            std::sort(values.begin(), values.end());
            values.erase(std::unique(values.begin(), values.end()), values.end());
        }
        return out;
    }
    if (run.built.data)
        for (const auto& [key, value] : run.built.data(run.cluster)) out[key] = {value};
    return out;
}

}  // namespace faultline::runner
