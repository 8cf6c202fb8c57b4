// warpsynth/util/python_repr.hpp — Python's `str()` of numbers, which is how Warp prints constants.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <system_error>

namespace warpsynth {

// `str(x)` for a Python float: the shortest round-trip digits, in fixed notation when 1e-4 <= |x| < 1e16,
// otherwise `d.ddde-05` (Python's repr rule). Infinities and NaN spell as Python does (`inf`, `nan`).
inline std::string python_float_repr(double x) {
    if (x != x) return "nan";
    if (x == 1.0 / 0.0) return "inf";
    if (x == -1.0 / 0.0) return "-inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    std::string sci(buf, res.ptr);  // e.g. "-1.2345e-05", "1e+16"
    bool neg = sci[0] == '-';
    if (neg) sci.erase(0, 1);
    auto epos = sci.find('e');
    int exp10 = std::atoi(sci.c_str() + epos + 1);
    std::string digits;
    for (std::size_t i = 0; i < epos; ++i)
        if (sci[i] != '.') digits += sci[i];
    std::string out = neg ? "-" : "";
    if (exp10 >= -5 + 1 && exp10 < 16) {  // Python: repr uses fixed notation when -4 <= exp10 < 16
        if (exp10 >= 0) {
            if (static_cast<int>(digits.size()) <= exp10 + 1) {
                out += digits;
                out.append(static_cast<std::size_t>(exp10 + 1 - static_cast<int>(digits.size())), '0');
                out += ".0";
            } else {
                out += digits.substr(0, static_cast<std::size_t>(exp10 + 1));
                out += '.';
                out += digits.substr(static_cast<std::size_t>(exp10 + 1));
            }
        } else {
            out += "0.";
            out.append(static_cast<std::size_t>(-exp10 - 1), '0');
            out += digits;
        }
        return out;
    }
    out += digits[0];
    if (digits.size() > 1) {
        out += '.';
        out += digits.substr(1);
    }
    out += 'e';
    out += exp10 < 0 ? '-' : '+';
    int a = exp10 < 0 ? -exp10 : exp10;
    if (a < 10) out += '0';
    out += std::to_string(a);
    return out;
}

inline std::string python_int_repr(std::int64_t v) { return std::to_string(v); }

}  // namespace warpsynth
