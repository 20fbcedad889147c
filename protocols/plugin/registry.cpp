#include "protocols/plugin/registry.h"

#include "sim/assert.h"

#include <set>

namespace faultline::plugin {

namespace {

std::vector<ProtocolEntry> checked(std::vector<ProtocolEntry> all) {
    std::set<std::string> names;
    for (const ProtocolEntry& p : all) {
        FL_ASSERT(!p.spec.name.empty(), "a registered protocol has no name");
        FL_ASSERT(names.insert(p.spec.name).second, "protocol {} is registered twice", p.spec.name);
        FL_ASSERT(p.build != nullptr, "protocol {} has no build function", p.spec.name);
        // A protocol may serve no client operation (lab 04's election): the scenario parser
        // then requires runs without clients.
    }
    return all;
}

}  // namespace

const std::vector<ProtocolEntry>& protocols() {
    static const std::vector<ProtocolEntry> all = checked(registered_protocols());
    return all;
}

const ProtocolEntry* find_protocol(std::string_view name) {
    for (const ProtocolEntry& p : protocols())
        if (p.spec.name == name) return &p;
    return nullptr;
}

}  // namespace faultline::plugin
