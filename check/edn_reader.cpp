// EDN/JSON reader. See edn_reader.h.
#include "check/edn_reader.h"

#include <cctype>

#include <fmt/format.h>

namespace faultline::check {

const EdnValue* EdnValue::find(std::string_view name) const {
    if (kind != Kind::map) return nullptr;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        const EdnValue& key = items[i];
        if ((key.kind == Kind::keyword || key.kind == Kind::string) && key.text == name) return &items[i + 1];
    }
    return nullptr;
}

std::string EdnValue::describe() const {
    switch (kind) {
        case Kind::nil: return "nil";
        case Kind::boolean: return boolean ? "true" : "false";
        case Kind::integer: return "integer " + text;
        case Kind::floating: return "number " + text;
        case Kind::string: return fmt::format("string \"{}\"", text);
        case Kind::keyword: return ":" + text;
        case Kind::symbol: return "symbol " + text;
        case Kind::vector: return fmt::format("vector of {}", items.size());
        case Kind::list: return fmt::format("list of {}", items.size());
        case Kind::set: return fmt::format("set of {}", items.size());
        case Kind::map: return fmt::format("map of {}", items.size() / 2);
    }
    return "value";
}

namespace {

class Reader {
  public:
    Reader(std::string_view text, Syntax syntax, std::string_view file) : text_(text), syntax_(syntax), file_(file) {}

    Expected<std::vector<EdnValue>> read_all() {
        std::vector<EdnValue> out;
        while (true) {
            skip_space();
            if (failed_) return error_;
            if (at_end()) break;
            EdnValue value;
            if (!read(value, 0)) return error_;
            if (!discarded_) out.push_back(std::move(value));
        }
        return out;
    }

  private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
    void advance() {
        if (text_[pos_] == '\n') {
            ++line_;
            column_ = 1;
        } else {
            ++column_;
        }
        ++pos_;
    }
    bool fail(std::string message) {
        if (!failed_) error_ = InputError{std::string(file_), line_, column_, std::move(message)};
        failed_ = true;
        return false;
    }
    void skip_space() {
        while (!at_end()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == ',' && syntax_ == Syntax::edn)) {
                advance();
            } else if (c == ';' && syntax_ == Syntax::edn) {
                while (!at_end() && peek() != '\n') advance();
            } else {
                break;
            }
        }
    }
    static bool symbol_char(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(".*+!-_?$%&=<>/:'#").find(c) != std::string_view::npos;
    }

    // Reads one form into `out`. Sets discarded_ when the form was #_-discarded.
    bool read(EdnValue& out, int depth) {
        discarded_ = false;
        skip_space();
        if (at_end()) return fail("unexpected end of input: a value was expected");
        if (depth > depth_max) return fail(fmt::format("nesting deeper than {} levels", depth_max));
        out.line = line_;
        out.column = column_;
        char c = peek();
        if (syntax_ == Syntax::edn && c == '#') {
            advance();
            if (peek() == '{') return read_collection(out, EdnValue::Kind::set, '}', depth);
            if (peek() == '_') {
                advance();
                EdnValue ignored;
                if (!read(ignored, depth + 1)) return false;
                discarded_ = true;
                return true;
            }
            std::string tag;
            while (!at_end() && symbol_char(peek())) {
                tag += peek();
                advance();
            }
            if (tag.empty()) return fail(fmt::format("unsupported dispatch '#{}'", peek()));
            if (!read(out, depth + 1)) return false;
            out.tag = tag;
            return true;
        }
        if (c == '{') return read_collection(out, EdnValue::Kind::map, '}', depth);
        if (c == '[') return read_collection(out, EdnValue::Kind::vector, ']', depth);
        if (c == '(' && syntax_ == Syntax::edn) return read_collection(out, EdnValue::Kind::list, ')', depth);
        if (c == '"') return read_string(out);
        if (c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c))) {
            if (std::isdigit(static_cast<unsigned char>(peek(1))) || std::isdigit(static_cast<unsigned char>(c))) {
                return read_number(out);
            }
        }
        if (syntax_ == Syntax::edn && c == ':') {
            advance();
            std::string name;
            while (!at_end() && symbol_char(peek())) {
                name += peek();
                advance();
            }
            if (name.empty()) return fail("':' must be followed by a keyword name");
            out.kind = EdnValue::Kind::keyword;
            out.text = std::move(name);
            return true;
        }
        if (symbol_char(c)) {
            std::string word;
            while (!at_end() && symbol_char(peek())) {
                word += peek();
                advance();
            }
            std::string_view none = syntax_ == Syntax::edn ? "nil" : "null";
            if (word == none) {
                out.kind = EdnValue::Kind::nil;
            } else if (word == "true" || word == "false") {
                out.kind = EdnValue::Kind::boolean;
                out.boolean = word == "true";
            } else if (syntax_ == Syntax::edn) {
                out.kind = EdnValue::Kind::symbol;
                out.text = std::move(word);
            } else {
                line_ = out.line;  // report at the word's start
                column_ = out.column;
                return fail(fmt::format("unexpected '{}' (JSON allows true, false, null, numbers, strings, [ and {{)", word));
            }
            return true;
        }
        if (c == '}' || c == ']' || c == ')') return fail(fmt::format("unmatched '{}'", c));
        return fail(fmt::format("unexpected character '{}'", c));
    }

    bool read_collection(EdnValue& out, EdnValue::Kind kind, char close, int depth) {
        int open_line = line_, open_column = column_;
        advance();  // the opening bracket
        out.kind = kind;
        bool json = syntax_ == Syntax::json;
        bool expect_separator = false;
        while (true) {
            skip_space();
            if (at_end()) {
                return fail(fmt::format("unexpected end of input: '{}' opened at line {}, column {} is not closed",
                                        kind == EdnValue::Kind::map ? '{' : kind == EdnValue::Kind::vector ? '[' : '(',
                                        open_line, open_column));
            }
            if (peek() == close) {
                advance();
                break;
            }
            if (json && expect_separator) {
                if (peek() != ',') return fail(fmt::format("expected ',' or '{}'", close));
                advance();
                skip_space();
            }
            EdnValue item;
            if (!read(item, depth + 1)) return false;
            if (discarded_) continue;
            if (json && kind == EdnValue::Kind::map) {
                if (item.kind != EdnValue::Kind::string) return fail("JSON object keys must be strings");
                skip_space();
                if (peek() != ':') return fail("expected ':' after an object key");
                advance();
                out.items.push_back(std::move(item));
                EdnValue value;
                if (!read(value, depth + 1)) return false;
                out.items.push_back(std::move(value));
            } else {
                out.items.push_back(std::move(item));
            }
            expect_separator = true;
        }
        discarded_ = false;
        if (kind == EdnValue::Kind::map && out.items.size() % 2 != 0) {
            line_ = open_line;
            column_ = open_column;
            return fail("a map needs an even number of forms (a key without a value)");
        }
        return true;
    }

    void append_utf8(std::string& s, std::uint32_t code) {
        if (code < 0x80) {
            s += static_cast<char>(code);
        } else if (code < 0x800) {
            s += static_cast<char>(0xC0 | (code >> 6));
            s += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            s += static_cast<char>(0xE0 | (code >> 12));
            s += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            s += static_cast<char>(0xF0 | (code >> 18));
            s += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    bool read_hex4(std::uint32_t* code) {
        *code = 0;
        for (int i = 0; i < 4; ++i) {
            char h = peek();
            int digit = std::isdigit(static_cast<unsigned char>(h)) ? h - '0'
                        : (h >= 'a' && h <= 'f')                   ? h - 'a' + 10
                        : (h >= 'A' && h <= 'F')                   ? h - 'A' + 10
                                                                   : -1;
            if (digit < 0) return fail("\\u must be followed by four hex digits");
            *code = *code * 16 + static_cast<std::uint32_t>(digit);
            advance();
        }
        return true;
    }

    bool read_string(EdnValue& out) {
        int open_line = line_, open_column = column_;
        advance();
        out.kind = EdnValue::Kind::string;
        while (true) {
            if (at_end()) return fail(fmt::format("unterminated string opened at line {}, column {}", open_line, open_column));
            char c = peek();
            if (c == '"') {
                advance();
                return true;
            }
            if (c == '\n' && syntax_ == Syntax::json) return fail("newline inside a JSON string");
            if (c != '\\') {
                out.text += c;
                advance();
                continue;
            }
            advance();
            if (at_end()) continue;
            char e = peek();
            advance();
            switch (e) {
                case '"': out.text += '"'; break;
                case '\\': out.text += '\\'; break;
                case '/': out.text += '/'; break;
                case 'n': out.text += '\n'; break;
                case 't': out.text += '\t'; break;
                case 'r': out.text += '\r'; break;
                case 'b': out.text += '\b'; break;
                case 'f': out.text += '\f'; break;
                case 'u': {
                    std::uint32_t code = 0;
                    if (!read_hex4(&code)) return false;
                    if (code >= 0xD800 && code < 0xDC00 && peek() == '\\' && peek(1) == 'u') {
                        advance();
                        advance();
                        std::uint32_t low = 0;
                        if (!read_hex4(&low)) return false;
                        if (low < 0xDC00 || low > 0xDFFF) return fail("invalid UTF-16 surrogate pair");
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    }
                    append_utf8(out.text, code);
                    break;
                }
                default: return fail(fmt::format("unknown escape '\\{}' in a string", e));
            }
        }
    }

    bool read_number(EdnValue& out) {
        std::string literal;
        bool floating = false;
        if (peek() == '-' || peek() == '+') {
            if (peek() == '-') literal += '-';
            advance();
        }
        while (!at_end()) {
            char c = peek();
            if (std::isdigit(static_cast<unsigned char>(c))) {
                literal += c;
            } else if (c == '.' || c == 'e' || c == 'E' || ((c == '-' || c == '+') && (literal.back() == 'e' || literal.back() == 'E'))) {
                floating = true;
                literal += c;
            } else {
                break;
            }
            advance();
        }
        if (syntax_ == Syntax::edn && (peek() == 'N' || peek() == 'M')) {
            floating = floating || peek() == 'M';
            advance();
        }
        if (!at_end() && symbol_char(peek()) && peek() != '#' && peek() != ':') {
            return fail(fmt::format("malformed number '{}{}'", literal, peek()));
        }
        out.kind = floating ? EdnValue::Kind::floating : EdnValue::Kind::integer;
        out.text = std::move(literal);
        return true;
    }

    std::string_view text_;
    Syntax syntax_;
    std::string_view file_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
    bool failed_ = false;
    bool discarded_ = false;
    InputError error_;
};

}  // namespace

Expected<std::vector<EdnValue>> read_values(std::string_view text, Syntax syntax, std::string_view file) {
    Reader reader(text, syntax, file);
    return reader.read_all();
}

}  // namespace faultline::check
