// Payload: a message body moves, copies and dies correctly whatever it holds. The kernel moves a
// trivially copyable inline value (and a heap value's pointer) by copying its bytes, and every
// other inline value through its own move constructor; these tests fail if a value that needs
// its constructor or destructor is treated as plain bytes, or the other way round.
#include "sim/payload.h"
#include "sim/world.h"

#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

using namespace faultline;

namespace {

struct Plain {
    static constexpr std::string_view type_name = "plain";
    uint64_t a = 0;
    uint32_t b = 0;
};

// Points into itself: copying its bytes would leave `self` pointing at the old object.
struct SelfPointing {
    static constexpr std::string_view type_name = "self_pointing";
    int value = 0;
    const int* self = &value;
    SelfPointing() = default;
    explicit SelfPointing(int v) : value(v) {}
    SelfPointing(const SelfPointing& o) noexcept : value(o.value) {}
    SelfPointing& operator=(const SelfPointing& o) noexcept {
        value = o.value;
        return *this;
    }
    bool intact() const { return self == &value; }
};
// Small and nothrow-movable: stored inline, where only its constructor may move it.
static_assert(sizeof(SelfPointing) <= Payload::inline_capacity && std::is_nothrow_move_constructible_v<SelfPointing> &&
              !std::is_trivially_copyable_v<SelfPointing>);

// Counts the live instances, so a skipped destructor or a double destruction shows.
struct Counted {
    static constexpr std::string_view type_name = "counted";
    static inline int live = 0;
    std::string text;
    explicit Counted(std::string t) : text(std::move(t)) { ++live; }
    Counted(const Counted& o) : text(o.text) { ++live; }
    Counted(Counted&& o) noexcept : text(std::move(o.text)) { ++live; }
    ~Counted() { --live; }
};

// Too big to live inline: the Payload holds a pointer to it.
struct Big {
    static constexpr std::string_view type_name = "big";
    static inline int live = 0;
    std::array<uint64_t, 16> words{};
    Big() { ++live; }
    Big(const Big& o) : words(o.words) { ++live; }
    ~Big() { --live; }
};
static_assert(sizeof(Big) > Payload::inline_capacity);

}  // namespace

TEST_CASE("payload: plain values survive moves and copies", "[sim][payload]") {
    Payload p = Payload::make(Plain{7, 9});
    Payload moved(std::move(p));
    REQUIRE(p.empty());  // NOLINT: a moved-from Payload is empty by contract
    Payload copy = moved;
    Payload assigned;
    assigned = std::move(copy);
    REQUIRE(assigned.get<Plain>().a == 7);
    REQUIRE(assigned.get<Plain>().b == 9);
    REQUIRE(moved.get<Plain>().a == 7);
    REQUIRE(assigned.type_name() == "plain");
}

TEST_CASE("payload: a value that is not trivially copyable moves through its constructor", "[sim][payload]") {
    Payload p = Payload::make(SelfPointing(5));
    REQUIRE(p.get<SelfPointing>().intact());
    Payload moved(std::move(p));
    REQUIRE(moved.get<SelfPointing>().intact());
    Payload assigned = Payload::make(Plain{});
    assigned = std::move(moved);
    REQUIRE(assigned.get<SelfPointing>().intact());
    REQUIRE(assigned.get<SelfPointing>().value == 5);
}

TEST_CASE("payload: every inline and heap value is destroyed exactly once", "[sim][payload]") {
    Counted::live = 0;
    Big::live = 0;
    {
        std::vector<Payload> ps;
        for (int i = 0; i < 40; ++i) {  // the vector's growth moves every Payload many times
            ps.push_back(Payload::make(Counted(std::string(50, 'x'))));
            ps.push_back(Payload::make(Big{}));
        }
        Payload copy = ps[0];
        ps[1] = copy;                // a Big replaced by a Counted
        ps[2] = std::move(ps[3]);    // a Counted replaced by a Big
        REQUIRE(Counted::live == 41);  // 40 made, one copied in, one replaced by a Big
        REQUIRE(Big::live == 39);      // 40 made, one replaced by a copy
    }
    REQUIRE(Counted::live == 0);
    REQUIRE(Big::live == 0);
}

namespace {
struct Checker final : Process {
    int* intact = nullptr;
    int* seen = nullptr;
    void on_message(Context&, const Envelope& m) override {
        ++*seen;
        if (m.get<SelfPointing>().intact()) ++*intact;
    }
};
struct Sends final : Process {
    void on_start(Context& ctx) override {
        for (int i = 0; i < 50; ++i) ctx.send(1, SelfPointing(i));
    }
};
}  // namespace

TEST_CASE("payload: a self-pointing message arrives intact through the kernel, duplicates too", "[sim][payload]") {
    WorldOptions o;
    o.seed = 4;
    o.network.duplicate = 0.5;
    World w(o);
    int intact = 0, seen = 0;
    w.add_node("a", [] { return std::make_unique<Sends>(); });
    w.add_node("b", [&] {
        auto c = std::make_unique<Checker>();
        c->intact = &intact;
        c->seen = &seen;
        return c;
    });
    w.run();
    REQUIRE(seen > 50);  // some were duplicated
    REQUIRE(intact == seen);
}
