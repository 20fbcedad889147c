// History readers and writers. See history_io.h for the formats and docs/checker.md for examples.
//
// Sections: [helpers] [faultline json] [jepsen op maps] [formats and files] [writers].
#include "check/history_io.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "check/edn_reader.h"

namespace faultline::check {

std::string_view to_string(HistoryFormat format) {
    switch (format) {
        case HistoryFormat::faultline_json: return "faultline-json";
        case HistoryFormat::jepsen_edn: return "jepsen-edn";
        case HistoryFormat::jepsen_json: return "jepsen-json";
    }
    return "";
}

namespace {

// [helpers] shared by the readers

constexpr std::size_t file_bytes_max = 1ull << 30;

InputError error_at(std::string_view file, const EdnValue& where, std::string message) {
    return InputError{std::string(file), where.line, where.column, std::move(message)};
}

bool to_int64(const EdnValue& value, std::int64_t* out) {
    if (value.kind != EdnValue::Kind::integer) return false;
    auto [end, ec] = std::from_chars(value.text.data(), value.text.data() + value.text.size(), *out);
    return ec == std::errc() && end == value.text.data() + value.text.size();
}

// Runs pair_operations so structural mistakes (a completion without an invocation, time going
// backwards) are reported at the offending event's line.
Expected<History> validated(History history, const std::vector<const EdnValue*>& event_forms, std::string_view file) {
    Expected<std::vector<Operation>> ops = pair_operations(history);
    if (ops.ok()) return history;
    InputError error = ops.error();
    error.file = std::string(file);
    if (error.event && *error.event < event_forms.size()) {
        error.line = event_forms[*error.event]->line;
        error.column = event_forms[*error.event]->column;
    }
    return error;
}

// [faultline json]: the Faultline JSON reader

Expected<History> parse_faultline_json(std::string_view text, std::string_view file) {
    Expected<std::vector<EdnValue>> forms = read_values(text, Syntax::json, file);
    if (!forms.ok()) return forms.error();
    if (forms->size() != 1 || forms->front().kind != EdnValue::Kind::map) {
        return InputError{std::string(file), 1, 1, "expected one JSON object {\"format\": \"faultline-history\", ...}"};
    }
    const EdnValue& root = forms->front();
    for (std::size_t i = 0; i < root.items.size(); i += 2) {
        const std::string& name = root.items[i].text;
        if (name != "format" && name != "version" && name != "events" && name != "metadata") {
            return error_at(file, root.items[i], fmt::format("unknown top-level field \"{}\"", name));
        }
    }
    const EdnValue* format = root.find("format");
    if (!format || format->kind != EdnValue::Kind::string || format->text != "faultline-history") {
        return error_at(file, format ? *format : root, "\"format\" must be \"faultline-history\"");
    }
    const EdnValue* version = root.find("version");
    std::int64_t version_number = 0;
    if (!version || !to_int64(*version, &version_number)) return error_at(file, version ? *version : root, "\"version\" must be an integer");
    if (version_number != faultline_history_version) {
        return error_at(file, *version, fmt::format("unsupported version {}; this reader knows version {}", version_number,
                                                    faultline_history_version));
    }
    const EdnValue* events = root.find("events");
    if (!events || events->kind != EdnValue::Kind::vector) return error_at(file, events ? *events : root, "\"events\" must be an array");

    static const std::set<std::string, std::less<>> fields = {"index", "time_ns", "process", "type", "f",
                                                              "key",   "value",   "expected", "swapped"};
    History history;
    std::vector<const EdnValue*> event_forms;
    for (std::size_t position = 0; position < events->items.size(); ++position) {
        const EdnValue& form = events->items[position];
        if (form.kind != EdnValue::Kind::map) return error_at(file, form, "each event must be an object");
        for (std::size_t i = 0; i < form.items.size(); i += 2) {
            if (!fields.count(form.items[i].text)) {
                return error_at(file, form.items[i], fmt::format("unknown event field \"{}\"", form.items[i].text));
            }
        }
        Event event;
        event.index = static_cast<std::int64_t>(position);
        if (const EdnValue* index = form.find("index"); index && !to_int64(*index, &event.index)) {
            return error_at(file, *index, "\"index\" must be an integer");
        }
        event.time_ns = event.index;
        if (const EdnValue* time = form.find("time_ns"); time && !to_int64(*time, &event.time_ns)) {
            return error_at(file, *time, "\"time_ns\" must be an integer (nanoseconds)");
        }
        std::int64_t process = 0;
        const EdnValue* process_form = form.find("process");
        if (!process_form || !to_int64(*process_form, &process) || process < 0 || process > INT32_MAX) {
            return error_at(file, process_form ? *process_form : form, "\"process\" must be a non-negative integer");
        }
        event.process = static_cast<int>(process);
        const EdnValue* type = form.find("type");
        std::optional<EventType> parsed_type =
            type && type->kind == EdnValue::Kind::string ? parse_event_type(type->text) : std::nullopt;
        if (!parsed_type) return error_at(file, type ? *type : form, "\"type\" must be \"invoke\", \"ok\", \"fail\" or \"info\"");
        event.type = *parsed_type;
        const EdnValue* f = form.find("f");
        std::optional<Function> parsed_f = f && f->kind == EdnValue::Kind::string ? parse_function(f->text) : std::nullopt;
        if (!parsed_f) return error_at(file, f ? *f : form, "\"f\" must be \"get\", \"put\", \"append\" or \"cas\"");
        event.f = *parsed_f;
        const EdnValue* key = form.find("key");
        if (key && key->kind != EdnValue::Kind::string) return error_at(file, *key, "\"key\" must be a string");
        if (!key && event.type == EventType::invoke) return error_at(file, form, "an invocation needs a \"key\"");
        if (key) event.key = key->text;

        auto read_value = [&](const char* name, Value* out) -> std::optional<InputError> {
            const EdnValue* v = form.find(name);
            if (!v || v->kind == EdnValue::Kind::nil) return std::nullopt;
            if (v->kind != EdnValue::Kind::string) {
                return error_at(file, *v, fmt::format("\"{}\" must be a string or null, not {}", name, v->describe()));
            }
            *out = v->text;
            return std::nullopt;
        };
        if (auto e = read_value("value", &event.value)) return *e;
        if (auto e = read_value("expected", &event.expected)) return *e;
        bool invoke = event.type == EventType::invoke;
        bool ok = event.type == EventType::ok;
        if (invoke && event.f != Function::get && !event.value) {
            return error_at(file, form, fmt::format("a {} invocation needs a string \"value\"", to_string(event.f)));
        }
        if (invoke && event.f == Function::cas && !form.find("expected")) {
            return error_at(file, form, "a cas invocation needs \"expected\" (a string, or null for absent)");
        }
        if (ok && event.f == Function::get && !form.find("value")) {
            return error_at(file, form, "an ok get needs \"value\": the value read, or null for absent");
        }
        if (const EdnValue* swapped = form.find("swapped")) {
            if (swapped->kind != EdnValue::Kind::boolean) return error_at(file, *swapped, "\"swapped\" must be true or false");
            event.cas_swapped = swapped->boolean;
        }
        if (ok && event.f == Function::cas && !event.cas_swapped) {
            return error_at(file, form, "an ok cas needs \"swapped\": true, or false when the compare failed");
        }
        history.events.push_back(std::move(event));
        event_forms.push_back(&form);
    }
    return validated(std::move(history), event_forms, file);
}

// [jepsen op maps]: the Jepsen op-map reader (EDN and JSON)

// Jepsen writes keywords in EDN and strings (sometimes ":ok") in JSON.
std::optional<std::string> name_of(const EdnValue* v) {
    if (!v) return std::nullopt;
    if (v->kind != EdnValue::Kind::keyword && v->kind != EdnValue::Kind::string) return std::nullopt;
    std::string name = v->text;
    if (!name.empty() && name.front() == ':') name.erase(0, 1);
    return name;
}

std::optional<Function> jepsen_function(std::string_view name) {
    if (name == "read" || name == "get") return Function::get;
    if (name == "write" || name == "put") return Function::put;
    if (name == "cas") return Function::cas;
    if (name == "append") return Function::append;
    if (name == "incr" || name == "add" || name == "remove") return parse_function(name);
    return std::nullopt;
}

bool is_tuple(const EdnValue* v) { return v && v->kind == EdnValue::Kind::vector && v->items.size() == 2; }

// A register value: integers and strings (keywords, floats, booleans as their text). Collections
// are refused: registers here hold scalars.
Expected<Value> scalar(std::string_view file, const EdnValue& v, const char* what) {
    switch (v.kind) {
        case EdnValue::Kind::nil: return Value{};
        case EdnValue::Kind::integer:
        case EdnValue::Kind::floating:
        case EdnValue::Kind::string:
        case EdnValue::Kind::symbol: return Value{v.text};
        case EdnValue::Kind::keyword: return Value{":" + v.text};
        case EdnValue::Kind::boolean: return Value{std::string(v.boolean ? "true" : "false")};
        default: break;
    }
    return error_at(file, v, fmt::format("unsupported {}: {} (registers hold integers or strings)", what, v.describe()));
}

Expected<History> from_jepsen_ops(const std::vector<const EdnValue*>& forms, std::string_view file) {
    // Which ops are client ops, and is the history in jepsen.independent tuple form?
    std::vector<const EdnValue*> client;
    std::vector<std::int64_t> positions;
    bool any_value = false, all_tuples = true;
    // Porcupine's kv histories name each op's key in a :key field: read per key, never merged.
    const EdnValue* first_keyed = nullptr;
    const EdnValue* first_unkeyed_invoke = nullptr;
    for (std::size_t position = 0; position < forms.size(); ++position) {
        const EdnValue& form = *forms[position];
        if (form.kind != EdnValue::Kind::map) return error_at(file, form, fmt::format("expected an op map, found {}", form.describe()));
        const EdnValue* process = form.find("process");
        if (!process) return error_at(file, form, "op map without :process");
        if (process->kind != EdnValue::Kind::integer) continue;  // :nemesis and friends
        client.push_back(&form);
        positions.push_back(static_cast<std::int64_t>(position));
        if (form.find("key")) {
            if (!first_keyed) first_keyed = &form;
        } else if (!first_unkeyed_invoke && name_of(form.find("type")) == "invoke") {
            first_unkeyed_invoke = &form;
        }
        const EdnValue* value = form.find("value");
        if (!value || value->kind == EdnValue::Kind::nil) continue;
        any_value = true;
        std::optional<std::string> f = name_of(form.find("f"));
        bool tuple = is_tuple(value) && (f != "cas" || is_tuple(&value->items[1]));
        all_tuples = all_tuples && tuple;
    }
    const bool keyed = first_keyed != nullptr;
    if (keyed && first_unkeyed_invoke) {
        return error_at(file, *first_unkeyed_invoke,
                        "an invocation without :key in a history whose ops carry :key (a kv history names every op's key)");
    }
    bool independent = !keyed && any_value && all_tuples;

    History history;
    std::map<int, Event> invoked;  // per process: the outstanding invocation (lookup only)
    std::int64_t index_previous = -1;
    for (std::size_t n = 0; n < client.size(); ++n) {
        const EdnValue& form = *client[n];
        Event event;
        std::int64_t process = 0;
        if (!to_int64(*form.find("process"), &process) || process < 0 || process > INT32_MAX) {
            return error_at(file, *form.find("process"), ":process must be a non-negative integer that fits in 32 bits");
        }
        event.process = static_cast<int>(process);
        event.index = positions[n];
        if (const EdnValue* index = form.find("index"); index && !to_int64(*index, &event.index)) {
            return error_at(file, *index, ":index must be an integer");
        }
        if (event.index <= index_previous) {
            return error_at(file, form, fmt::format(":index {} does not increase (previous {})", event.index, index_previous));
        }
        index_previous = event.index;
        event.time_ns = event.index;
        if (const EdnValue* time = form.find("time"); time && !to_int64(*time, &event.time_ns)) {
            return error_at(file, *time, ":time must be an integer (nanoseconds)");
        }
        std::optional<std::string> type = name_of(form.find("type"));
        std::optional<EventType> parsed_type = type ? parse_event_type(*type) : std::nullopt;
        if (!parsed_type) return error_at(file, form.find("type") ? *form.find("type") : form, ":type must be :invoke, :ok, :fail or :info");
        event.type = *parsed_type;
        std::optional<std::string> f = name_of(form.find("f"));
        std::optional<Function> parsed_f = f ? jepsen_function(*f) : std::nullopt;
        if (!parsed_f) {
            return error_at(file, form.find("f") ? *form.find("f") : form,
                            fmt::format("unsupported :f :{} (supported: :read, :write, :cas, :append)", f.value_or("(missing)")));
        }
        event.f = *parsed_f;

        const EdnValue nil;
        const EdnValue* value = form.find("value");
        if (!value) value = &nil;
        // Errors about a missing value point at the op map.
        auto where = [&](const EdnValue* v) -> const EdnValue& { return v == &nil ? form : *v; };
        if (const EdnValue* k = keyed ? form.find("key") : nullptr) {
            Expected<Value> key = scalar(file, *k, "key");
            if (!key.ok()) return key.error();
            if (!key.value()) return error_at(file, *k, "a :key must not be nil");
            event.key = *key.value();
        } else if (independent && value->kind != EdnValue::Kind::nil) {
            Expected<Value> key = scalar(file, value->items[0], "key");
            if (!key.ok()) return key.error();
            if (!key.value()) return error_at(file, value->items[0], "a tuple key must not be nil");
            event.key = *key.value();
            value = &value->items[1];
        } else if (!independent && !keyed) {
            event.key = std::string(jepsen_single_key);
        }
        if (event.type == EventType::invoke) {
            if (independent && event.key.empty() && value == &nil) {
                return error_at(file, form, "independent history: an invocation needs :value [key value]");
            }
            if (event.f == Function::cas) {
                if (!is_tuple(value)) return error_at(file, where(value), fmt::format("a :cas value must be [old new], found {}", value->describe()));
                Expected<Value> expected = scalar(file, value->items[0], "cas old value");
                Expected<Value> next = scalar(file, value->items[1], "cas new value");
                if (!expected.ok()) return expected.error();
                if (!next.ok()) return next.error();
                if (!next.value()) return error_at(file, value->items[1], "a cas cannot write nil");
                event.expected = expected.value();
                event.value = next.value();
            } else if (event.f != Function::get) {
                Expected<Value> written = scalar(file, *value, "value");
                if (!written.ok()) return written.error();
                if (!written.value()) return error_at(file, where(value), fmt::format("a :{} needs a value", *f));
                event.value = written.value();
            }
            invoked[event.process] = event;
        } else {
            auto open = invoked.find(event.process);
            if (open != invoked.end() && keyed && !event.key.empty() && event.key != open->second.key) {
                return error_at(file, *form.find("key"), fmt::format("the completion's :key {} differs from its invocation's :key {}",
                                                                     event.key, open->second.key));
            }
            if (open != invoked.end() && event.key.empty()) event.key = open->second.key;
            if (event.type == EventType::ok && event.f == Function::get) {
                Expected<Value> read = scalar(file, *value, "value read");
                if (!read.ok()) return read.error();
                event.value = read.value();
            }
            if (event.type == EventType::ok && event.f == Function::cas) event.cas_swapped = true;
            std::optional<std::string> error = name_of(form.find("error"));
            if (event.type == EventType::fail && event.f == Function::cas && error == "cas-compare-failed") {
                event.type = EventType::ok;  // Faultline's "ok, compare failed", exported as :fail
                event.cas_swapped = false;
            }
            if (open != invoked.end()) invoked.erase(open);
        }
        history.events.push_back(std::move(event));
    }
    return validated(std::move(history), client, file);
}

Expected<History> parse_jepsen(std::string_view text, Syntax syntax, std::string_view file) {
    Expected<std::vector<EdnValue>> forms = read_values(text, syntax, file);
    if (!forms.ok()) return forms.error();
    std::vector<const EdnValue*> ops;
    // One vector of maps, or maps one after another (one per line).
    if (forms->size() == 1 && forms->front().is_sequence()) {
        for (const EdnValue& op : forms->front().items) ops.push_back(&op);
    } else {
        for (const EdnValue& op : forms.value()) ops.push_back(&op);
    }
    return from_jepsen_ops(ops, file);
}

}  // namespace

Expected<History> parse_history(std::string_view text, HistoryFormat format, std::string_view file) {
    switch (format) {
        case HistoryFormat::faultline_json: return parse_faultline_json(text, file);
        case HistoryFormat::jepsen_edn: return parse_jepsen(text, Syntax::edn, file);
        case HistoryFormat::jepsen_json: return parse_jepsen(text, Syntax::json, file);
    }
    return InputError{std::string(file), 0, 0, "unknown history format"};
}

// [formats and files]: format detection and files

HistoryFormat detect_format(std::string_view path, std::string_view text) {
    std::string_view head = text.substr(0, 4096);
    bool ours = head.find("\"faultline-history\"") != std::string_view::npos;
    if (path.ends_with(".edn")) return HistoryFormat::jepsen_edn;
    if (path.ends_with(".json") || path.ends_with(".jsonl")) return ours ? HistoryFormat::faultline_json : HistoryFormat::jepsen_json;
    if (ours) return HistoryFormat::faultline_json;
    if (head.find(":type") != std::string_view::npos || head.find(":process") != std::string_view::npos) {
        return HistoryFormat::jepsen_edn;
    }
    return HistoryFormat::jepsen_json;
}

Expected<History> read_history_file(const std::string& path, std::optional<HistoryFormat> format) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return InputError{path, 0, 0, "is a directory, not a history file"};
    std::ifstream in(path, std::ios::binary);
    if (!in) return InputError{path, 0, 0, "cannot open the file (does it exist?)"};
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    if (size < 0) return InputError{path, 0, 0, "cannot read the file"};
    if (static_cast<std::uint64_t>(size) > file_bytes_max) return InputError{path, 0, 0, "file larger than 1 GiB"};
    in.seekg(0);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), size)) return InputError{path, 0, 0, "cannot read the file"};
    return parse_history(text, format ? *format : detect_format(path, text), path);
}

// [writers]

namespace {

bool canonical_integer(const std::string& s) {
    std::int64_t parsed = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    return ec == std::errc() && end == s.data() + s.size() && std::to_string(parsed) == s;
}

std::string edn_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
    return out + "\"";
}

std::string_view jepsen_name(Function f) {
    switch (f) {
        case Function::get: return "read";
        case Function::put: return "write";
        case Function::cas: return "cas";
        case Function::append: return "append";
        case Function::incr: return "incr";
        case Function::add: return "add";
        case Function::remove: return "remove";
    }
    return "";
}

struct JepsenOp {
    std::int64_t index = 0, time = 0;
    std::string type;
    int process = 0;
    Function f = Function::get;
    // value: nil, scalar, [old new]; wrapped in [key ...] when independent.
    bool has_key = false;
    std::string key;
    bool pair = false;  // cas [old new]
    Value first, second;
    bool compare_failed = false;
};

std::vector<JepsenOp> jepsen_ops(const History& history) {
    bool independent = false;
    for (const Event& e : history.events) independent = independent || e.key != jepsen_single_key;
    std::map<int, const Event*> invoked;  // lookup only
    std::vector<JepsenOp> out;
    for (const Event& e : history.events) {
        const Event* invoke = &e;
        if (e.type != EventType::invoke) {
            auto open = invoked.find(e.process);
            CHECKER_ASSERT(open != invoked.end(), "export: completion without invocation; validate with pair_operations");
            invoke = open->second;
            invoked.erase(open);
        } else {
            invoked[e.process] = &e;
        }
        JepsenOp op;
        op.index = e.index;
        op.time = e.time_ns;
        op.type = std::string(to_string(e.type));
        op.process = e.process;
        op.f = e.f;
        op.has_key = independent;
        op.key = invoke->key;
        if (e.f == Function::cas) {
            op.pair = true;
            op.first = invoke->expected;
            op.second = invoke->value;
            if (e.type == EventType::ok && e.cas_swapped == false) {
                op.type = "fail";
                op.compare_failed = true;
            }
        } else if (e.f == Function::get) {
            op.first = e.type == EventType::ok ? e.value : Value{};
        } else {
            op.first = invoke->value;
        }
        out.push_back(std::move(op));
    }
    return out;
}

std::string edn_scalar(const Value& v) {
    if (!v) return "nil";
    return canonical_integer(*v) ? *v : edn_string(*v);
}

nlohmann::json json_scalar(const Value& v) {
    if (!v) return nullptr;
    if (canonical_integer(*v)) return std::stoll(*v);
    return *v;
}

}  // namespace

std::string to_jepsen_edn(const History& history) {
    std::string out;
    for (const JepsenOp& op : jepsen_ops(history)) {
        std::string value = op.pair ? fmt::format("[{} {}]", edn_scalar(op.first), edn_scalar(op.second)) : edn_scalar(op.first);
        if (op.has_key) value = fmt::format("[{} {}]", edn_scalar(op.key), value);
        out += fmt::format("{{:index {}, :time {}, :type :{}, :process {}, :f :{}, :value {}{}}}\n", op.index, op.time, op.type,
                           op.process, jepsen_name(op.f), value, op.compare_failed ? ", :error :cas-compare-failed" : "");
    }
    return out;
}

std::string to_jepsen_json(const History& history) {
    std::string out = "[";
    bool first = true;
    for (const JepsenOp& op : jepsen_ops(history)) {
        nlohmann::ordered_json o;
        o["index"] = op.index;
        o["time"] = op.time;
        o["type"] = op.type;
        o["process"] = op.process;
        o["f"] = std::string(jepsen_name(op.f));
        nlohmann::json value = op.pair ? nlohmann::json::array({json_scalar(op.first), json_scalar(op.second)}) : json_scalar(op.first);
        if (op.has_key) value = nlohmann::json::array({json_scalar(op.key), value});
        o["value"] = value;
        if (op.compare_failed) o["error"] = "cas-compare-failed";
        out += first ? "\n  " : ",\n  ";
        out += o.dump();
        first = false;
    }
    return out + "\n]\n";
}

std::string to_faultline_json(const History& history) {
    std::string out = fmt::format("{{\"format\": \"faultline-history\", \"version\": {}, \"events\": [", faultline_history_version);
    bool first = true;
    for (const Event& e : history.events) {
        nlohmann::ordered_json o;
        o["index"] = e.index;
        o["time_ns"] = e.time_ns;
        o["process"] = e.process;
        o["type"] = std::string(to_string(e.type));
        o["f"] = std::string(to_string(e.f));
        o["key"] = e.key;
        bool invoke = e.type == EventType::invoke;
        if (invoke && e.f == Function::cas) o["expected"] = e.expected ? nlohmann::json(*e.expected) : nlohmann::json(nullptr);
        if ((invoke && e.f != Function::get) || (e.type == EventType::ok && e.f == Function::get)) {
            o["value"] = e.value ? nlohmann::json(*e.value) : nlohmann::json(nullptr);
        }
        if (e.cas_swapped) o["swapped"] = *e.cas_swapped;
        out += first ? "\n  " : ",\n  ";
        out += o.dump();
        first = false;
    }
    return out + "\n]}\n";
}

}  // namespace faultline::check
