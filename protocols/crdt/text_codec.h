// Text helpers shared by the CRDTs' encodings (disk records, gossip messages, trace annotations).
//
// Free text (replica ids, set elements, register values, keys) is escaped so that it never holds
// a separator of the encodings: every byte outside [A-Za-z0-9_.-] becomes %XX. Numbers are
// parsed strictly (digits only, no sign unless signed, no overflow). Every decoder returns
// nothing on malformed input and never asserts: the text may be a corrupt disk record.
//
// Limits (everything has one): a count is at most count_max and a map of counts has at most
// replicas_max entries, so that sums of counts can never overflow an int64.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::crdt {

inline constexpr uint64_t count_max = 1'000'000'000'000'000;  // 1e15 per replica entry
inline constexpr std::size_t replicas_max = 4096;              // entries of a map of counts

std::string escape(std::string_view text);
std::optional<std::string> unescape(std::string_view text);

std::optional<uint64_t> parse_u64(std::string_view digits);
std::optional<int64_t> parse_i64(std::string_view text);  // an optional '-' then digits

// The items between separators; an empty text has no items ("" -> {}, "a," -> {"a", ""}).
std::vector<std::string_view> split(std::string_view text, char separator);

// A count per replica (a G-Counter's entries, a version vector). Zero counts are never stored,
// so that one state has one encoding.
using ReplicaCounts = std::map<std::string, uint64_t>;

// "n1.0:3,n2.0:5" (replicas escaped, in order); "" when empty.
std::string encode_counts(const ReplicaCounts& counts);
// Rejects zero or oversized counts, repeated replicas and more than replicas_max entries.
std::optional<ReplicaCounts> decode_counts(std::string_view text);

}  // namespace faultline::crdt
