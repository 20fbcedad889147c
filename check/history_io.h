// Reading and writing histories: Faultline's JSON format and Jepsen's op maps (EDN and JSON).
//
// Formats (docs/checker.md has the full description and examples):
//   faultline_json  {"format": "faultline-history", "version": 1, "events": [ {...}, ... ]}; one
//                   object per event with index, time_ns, process, type, f, key, value, expected,
//                   swapped. Strict: unknown fields and versions are errors, to catch typos.
//   jepsen_edn      Jepsen op maps {:process 0, :type :invoke, :f :write, :value 3}, one per line
//                   or inside a top-level vector.
//   jepsen_json     the same maps as JSON objects, in a top-level array or one per line.
// Jepsen mapping: :read -> get, :write -> put, :cas [old new] -> cas, :append -> append (also
// :get/:put). Multi-key histories use jepsen.independent tuples, :value [k v] (cas: [k [old new]]),
// detected when every op's value has that shape; otherwise all ops use key `jepsen_single_key`.
// Porcupine-style kv histories carry each op's key in a :key field ({:f :put, :key "2", :value
// "x"}): every invocation must then have one, a completion's (when it has one) must match its
// invocation's, and the history is checked per key; it is never merged into one register.
// Ops whose :process is not an integer (:nemesis) are skipped. A cas completed :ok swapped; our
// "ok, compare failed" cas is exported as :type :fail with :error :cas-compare-failed (Jepsen
// tools read it as "did not happen", which is sound) and read back as ok/false. Integer values and
// keys become decimal strings; on export a value that is a canonical decimal integer is written as
// an integer, so Jepsen-style histories round-trip.
//
// Every reader returns Expected<History>: errors name the file, line and column and what was
// wrong; malformed input never asserts or crashes. Writers take well-formed histories.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "check/history.h"

namespace faultline::check {

enum class HistoryFormat { faultline_json, jepsen_edn, jepsen_json };

inline constexpr std::string_view jepsen_single_key = "register";
inline constexpr int faultline_history_version = 1;

std::string_view to_string(HistoryFormat format);

// By extension (.edn, .json, .jsonl), then by content: a "faultline-history" marker means ours,
// EDN keywords such as ":type" mean EDN, otherwise Jepsen JSON.
HistoryFormat detect_format(std::string_view path, std::string_view text);

// `file` only labels errors.
Expected<History> parse_history(std::string_view text, HistoryFormat format, std::string_view file = "");
// Reads and parses a file; the format is detected unless given.
Expected<History> read_history_file(const std::string& path, std::optional<HistoryFormat> format = std::nullopt);

std::string to_faultline_json(const History& history);
std::string to_jepsen_edn(const History& history);   // one op map per line
std::string to_jepsen_json(const History& history);  // a JSON array, one op object per line

}  // namespace faultline::check
