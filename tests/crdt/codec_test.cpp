// Encodings of the CRDTs (disk records, gossip, trace annotations): every state reads back as
// itself, and malformed text reads back as nothing, never a crash (a record may be corrupt).
// Method: encode/decode every state of random executions (random_execution.h) of every type;
// feed decode a table of malformed texts, then thousands of random strings and of single-byte
// edits, truncations and splices of valid encodings: each either fails to decode or decodes to
// a state whose own encoding reads back the same.
#include "protocols/crdt/text_codec.h"
#include "tests/crdt/random_execution.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::crdt;
using namespace faultline::test::crdt_support;

namespace {

const std::vector<CrdtType> all_types{CrdtType::g_counter, CrdtType::pn_counter, CrdtType::or_set, CrdtType::lww_register,
                                      CrdtType::mv_register};

// A text decode accepted must be a state whose encoding is stable.
void require_stable(CrdtType type, std::string_view text) {
    const auto state = KeyState::decode(type, text);
    if (!state) return;
    const auto again = KeyState::decode(type, state->encode());
    REQUIRE(again.has_value());
    REQUIRE(*again == *state);
}

}  // namespace

TEST_CASE("crdt codec: every state of random executions round-trips through its encoding", "[crdt]") {
    for (CrdtType type : all_types) {
        for (uint64_t seed = 1; seed <= 50; ++seed) {
            const Execution e = random_execution(type, seed, type == CrdtType::or_set && seed % 2 == 0, 40,
                                                 [](const KeyState&, const Replica&, const Execution&) {});
            for (const KeyState& s : e.snapshots) {
                INFO(to_string(type) << " seed " << seed << ": " << s.encode());
                const auto back = KeyState::decode(type, s.encode());
                REQUIRE(back.has_value());
                REQUIRE(*back == s);
            }
        }
    }
}

TEST_CASE("crdt codec: free text survives escaping, separators included", "[crdt]") {
    Rng rng(5);
    for (int i = 0; i < 2000; ++i) {
        std::string text;
        for (auto n = rng.below(12); n > 0; --n) text += static_cast<char>(rng.below(256));
        const std::string escaped = escape(text);
        REQUIRE(escaped.find_first_of(",:;=| \n") == std::string::npos);  // no separator of the encodings
        REQUIRE(unescape(escaped) == text);
    }
    KeyState s(CrdtType::or_set);
    s.merge(s.add("n1.0", "a,b|c=d;e%f g"));
    REQUIRE(KeyState::decode(CrdtType::or_set, s.encode())->values() == std::vector<std::string>{"a,b|c=d;e%f g"});
}

TEST_CASE("crdt codec: malformed texts decode to nothing", "[crdt]") {
    const std::vector<std::pair<CrdtType, std::string>> bad{
        {CrdtType::g_counter, "n1.0"},                     // no count
        {CrdtType::g_counter, "n1.0:"},                    // empty count
        {CrdtType::g_counter, "n1.0:0"},                   // zero counts are never stored
        {CrdtType::g_counter, "n1.0:07"},                  // one number, one text
        {CrdtType::g_counter, "n1.0:-3"},
        {CrdtType::g_counter, ":3"},                       // no replica
        {CrdtType::g_counter, "n1.0:3,n1.0:4"},            // a replica twice
        {CrdtType::g_counter, "n1.0:3,"},                  // an empty item
        {CrdtType::g_counter, "n1.0:99999999999999999999"},  // over 2^64
        {CrdtType::g_counter, "n1.0:1000000000000001"},    // over count_max
        {CrdtType::g_counter, "n%G1:3"},                   // a bad escape
        {CrdtType::g_counter, "n%41:3"},                   // an escape escape() never writes ('A')
        {CrdtType::g_counter, "n1.0:3%"},
        {CrdtType::pn_counter, "n1.0:3"},                  // no '|'
        {CrdtType::pn_counter, "n1.0:3|x"},
        {CrdtType::or_set, "n1.0:1=+x"},                   // no context
        {CrdtType::or_set, "n1.0:1=+x|"},                  // a context without ';'
        {CrdtType::or_set, "n1.0:1=+x|;"},                 // an entry whose dot the context lacks
        {CrdtType::or_set, "n1.0:1=*x|n1.0:1;"},           // neither add nor tombstone
        {CrdtType::or_set, "n1.0:1=+x,n1.0:1=+y|n1.0:1;"},  // one dot twice
        {CrdtType::or_set, "|n1.0:1;n1.0:2"},              // a cloud compact() would fold
        {CrdtType::or_set, "|n1.0:2;n1.0:1"},              // a cloud dot under the prefix
        {CrdtType::or_set, "|;n1.0:3,n1.0:3"},             // a cloud dot twice
        {CrdtType::mv_register, "n1.0:1|n1.0:1;"},         // an entry without '='
        {CrdtType::mv_register, "n1.0:0=v|n1.0:1;"},       // dot counters start at 1
        {CrdtType::lww_register, "12"},
        {CrdtType::lww_register, "12:=v"},                 // no replica
        {CrdtType::lww_register, "x:n1.0=v"},
        {CrdtType::lww_register, "1=n1.0:v"},
    };
    for (const auto& [type, text] : bad) {
        INFO(to_string(type) << ": \"" << text << "\"");
        REQUIRE_FALSE(KeyState::decode(type, text).has_value());
    }
    // And the empty state of each type reads back (an OR-Set's and an MV register's need their '|' and ';').
    for (CrdtType type : all_types) REQUIRE(KeyState::decode(type, KeyState(type).encode()) == KeyState(type));
    REQUIRE(KeyState(CrdtType::or_set).encode() == "|;");
}

TEST_CASE("crdt codec: random garbage and damaged encodings never crash a decoder", "[crdt]") {
    static constexpr std::string_view alphabet = "n1.0:;,|=+-%AF9x \n";
    Rng rng(17);
    for (CrdtType type : all_types) {
        for (int i = 0; i < 3000; ++i) {
            std::string text;
            for (auto n = rng.below(24); n > 0; --n) text += alphabet[rng.below(alphabet.size())];
            require_stable(type, text);
        }
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            const Execution e = random_execution(type, seed, false, 30, [](const KeyState&, const Replica&, const Execution&) {});
            for (const KeyState& s : e.snapshots) {
                const std::string valid = s.encode();
                if (valid.empty()) continue;
                std::string edited = valid;
                edited[rng.below(edited.size())] = alphabet[rng.below(alphabet.size())];
                require_stable(type, edited);
                require_stable(type, valid.substr(0, rng.below(valid.size())));
                require_stable(type, valid + valid.substr(rng.below(valid.size())));
            }
        }
    }
}
