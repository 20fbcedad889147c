// Sanitizer builds only: the one out-of-line definition Boost.Context's ucontext fibers need.
//
// Why: AddressSanitizer must be told about every stack switch. In Boost 1.74 only the ucontext
// fiber implementation carries those annotations (BOOST_USE_ASAN), and it is header-only except
// for fiber_activation_record::current(): the per-thread pointer to the running activation
// record. Debian's libboost_context is built for fcontext and does not define it, so we do.
//
// Contract (from the header): current() returns a reference to this thread's pointer to the
// record now running; before any fiber runs, that is a record for the thread's own (main)
// context, which the header's default constructor builds with getcontext().
#if defined(BOOST_USE_UCONTEXT)

#include <boost/context/fiber.hpp>

#include <memory>

namespace boost::context::detail {

namespace {
struct ThreadRecord {
    std::unique_ptr<fiber_activation_record> main_context = std::make_unique<fiber_activation_record>();
    fiber_activation_record* current = main_context.get();
};
}  // namespace

fiber_activation_record*& fiber_activation_record::current() noexcept {
    thread_local ThreadRecord record;
    return record.current;
}

}  // namespace boost::context::detail

#endif
