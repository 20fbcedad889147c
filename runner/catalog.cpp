#include "runner/catalog.h"

#include "protocols/plugin/registry.h"
#include "runner/checkers/checker_entry.h"

namespace faultline::runner {

const scenario::Catalog& catalog() {
    static const scenario::Catalog all = [] {
        scenario::Catalog c;
        for (const plugin::ProtocolEntry& p : plugin::protocols()) c.protocols.push_back(p.spec);
        for (const CheckerEntry& e : checkers()) c.checkers.push_back(e.spec);
        return c;
    }();
    return all;
}

}  // namespace faultline::runner
