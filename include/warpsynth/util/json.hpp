// warpsynth/util/json.hpp — the small JSON subset warpsynth reads and writes (JSONL records).
//
// Writing: `append_json_string` escapes exactly as Python's json.dumps(ensure_ascii=False) does for the
// characters our texts contain. Reading: a strict recursive-descent parser into a tiny value tree that reports
// the byte offset of the first error — enough to validate records and never crash on bad input.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warpsynth::json {

inline void append_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

struct member;

struct value {
    enum class kind { null, boolean, number, string, array, object } type = kind::null;
    bool b = false;
    double num = 0.0;
    std::string str;
    std::vector<value> items;
    std::vector<member> members;  // in document order

    const value* find(std::string_view key) const;
};

struct member {
    std::string key;
    value val;
};

inline const value* value::find(std::string_view key) const {
    for (auto& m : members)
        if (m.key == key) return &m.val;
    return nullptr;
}

struct parse_error {
    std::size_t offset = 0;
    std::string message;
};

class parser {
  public:
    explicit parser(std::string_view text) : s_(text) {}

    // Parse one complete value (surrounding whitespace allowed). Returns nullopt and sets `error` on failure.
    std::optional<value> parse(parse_error& error) {
        value v;
        ws();
        if (!parse_value(v, 0)) {
            error = err_;
            return std::nullopt;
        }
        ws();
        if (i_ != s_.size()) {
            error = {i_, "trailing characters after the JSON value"};
            return std::nullopt;
        }
        return v;
    }

  private:
    std::string_view s_;
    std::size_t i_ = 0;
    parse_error err_;

    bool fail(std::string msg) {
        err_ = {i_, std::move(msg)};
        return false;
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool literal(std::string_view w) {
        if (s_.substr(i_, w.size()) != w) return fail("invalid literal");
        i_ += w.size();
        return true;
    }
    bool parse_value(value& v, int depth) {
        if (depth > 64) return fail("nesting too deep");
        if (i_ >= s_.size()) return fail("unexpected end of input");
        char c = s_[i_];
        if (c == '{') return parse_object(v, depth);
        if (c == '[') return parse_array(v, depth);
        if (c == '"') {
            v.type = value::kind::string;
            return parse_string(v.str);
        }
        if (c == 't') {
            v.type = value::kind::boolean;
            v.b = true;
            return literal("true");
        }
        if (c == 'f') {
            v.type = value::kind::boolean;
            return literal("false");
        }
        if (c == 'n') return literal("null");
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number(v);
        return fail(std::string("unexpected character '") + c + "'");
    }
    bool parse_number(value& v) {
        std::size_t b = i_;
        if (s_[i_] == '-') ++i_;
        auto digits = [&] {
            std::size_t d = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            return i_ > d;
        };
        if (!digits()) return fail("invalid number");
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits()) return fail("invalid number");
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) return fail("invalid number");
        }
        v.type = value::kind::number;
        v.num = std::strtod(std::string(s_.substr(b, i_ - b)).c_str(), nullptr);
        return true;
    }
    static void put_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(std::uint32_t& cp) {
        if (i_ + 4 > s_.size()) return fail("truncated \\u escape");
        cp = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s_[i_++];
            cp <<= 4;
            if (c >= '0' && c <= '9') cp |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') cp |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') cp |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return fail("invalid \\u escape");
        }
        return true;
    }
    bool parse_string(std::string& out) {
        ++i_;  // opening quote
        while (true) {
            if (i_ >= s_.size()) return fail("unterminated string");
            char c = s_[i_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) return fail("unterminated escape");
            char e = s_[i_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!hex4(cp)) return false;
                if (cp >= 0xD800 && cp < 0xDC00) {
                    std::uint32_t lo;
                    if (s_.substr(i_, 2) != "\\u") return fail("unpaired surrogate");
                    i_ += 2;
                    if (!hex4(lo)) return false;
                    if (lo < 0xDC00 || lo > 0xDFFF) return fail("invalid surrogate pair");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                put_utf8(out, cp);
                break;
            }
            default: return fail("invalid escape");
            }
        }
    }
    bool parse_array(value& v, int depth) {
        v.type = value::kind::array;
        ++i_;
        ws();
        if (i_ < s_.size() && s_[i_] == ']') {
            ++i_;
            return true;
        }
        while (true) {
            value item;
            ws();
            if (!parse_value(item, depth + 1)) return false;
            v.items.push_back(std::move(item));
            ws();
            if (i_ >= s_.size()) return fail("unterminated array");
            if (s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (s_[i_] == ']') {
                ++i_;
                return true;
            }
            return fail("expected ',' or ']'");
        }
    }
    bool parse_object(value& v, int depth) {
        v.type = value::kind::object;
        ++i_;
        ws();
        if (i_ < s_.size() && s_[i_] == '}') {
            ++i_;
            return true;
        }
        while (true) {
            ws();
            if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a string key");
            std::string key;
            if (!parse_string(key)) return false;
            ws();
            if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':'");
            ++i_;
            ws();
            value item;
            if (!parse_value(item, depth + 1)) return false;
            v.members.push_back(member{std::move(key), std::move(item)});
            ws();
            if (i_ >= s_.size()) return fail("unterminated object");
            if (s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (s_[i_] == '}') {
                ++i_;
                return true;
            }
            return fail("expected ',' or '}'");
        }
    }
};

}  // namespace warpsynth::json
