// warpsynth/util/python_repr.hpp — Python's `str()` of numbers, which is how Warp prints constants.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <system_error>

namespace warpsynth {

// Room for any `str()` of a double: the longest are 24 characters (`-1.2345678901234567e-308`; fixed forms such as
// `-0.00012345678901234567` are 23).
inline constexpr std::size_t python_float_repr_max = 32;

// `str(x)` for a Python float, written at `p` (room for python_float_repr_max characters); returns its end. The
// shortest round-trip digits, in fixed notation when 1e-4 <= |x| < 1e16, otherwise `d.ddde-05` (Python's repr
// rule). Infinities and NaN spell as Python does (`inf`, `nan`). No allocation: literals are printed per record.
inline char* write_python_float(char* p, double x) {
    auto put = [&](const char* s) {
        while (*s) *p++ = *s++;
        return p;
    };
    if (x != x) return put("nan");
    if (x == 1.0 / 0.0) return put("inf");
    if (x == -1.0 / 0.0) return put("-inf");
    if (std::signbit(x)) {
        *p++ = '-';
        x = -x;
    }
    char sci[32];  // e.g. "1.2345e-05", "1e+16"
    auto end = std::to_chars(sci, sci + sizeof sci, x, std::chars_format::scientific).ptr;
    char digits[20];  // the significant digits, without the point
    std::size_t nd = 0;
    const char* q = sci;
    for (; *q != 'e'; ++q)
        if (*q != '.') digits[nd++] = *q;
    const bool neg_exp = q[1] == '-';
    int exp10 = 0;
    for (const char* e = q + 2; e < end; ++e) exp10 = exp10 * 10 + (*e - '0');
    if (neg_exp) exp10 = -exp10;
    const auto n = static_cast<int>(nd);
    auto copy = [&](int from, int to) {
        for (int i = from; i < to; ++i) *p++ = digits[i];
    };
    if (exp10 >= -4 && exp10 < 16) {  // Python: repr uses fixed notation when -4 <= exp10 < 16
        if (exp10 < 0) {
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -exp10 - 1; ++i) *p++ = '0';
            copy(0, n);
        } else if (n <= exp10 + 1) {
            copy(0, n);
            for (int i = n; i < exp10 + 1; ++i) *p++ = '0';
            *p++ = '.';
            *p++ = '0';
        } else {
            copy(0, exp10 + 1);
            *p++ = '.';
            copy(exp10 + 1, n);
        }
        return p;
    }
    *p++ = digits[0];
    if (n > 1) {
        *p++ = '.';
        copy(1, n);
    }
    *p++ = 'e';
    *p++ = exp10 < 0 ? '-' : '+';
    int a = exp10 < 0 ? -exp10 : exp10;
    if (a >= 100) *p++ = static_cast<char>('0' + a / 100);
    *p++ = static_cast<char>('0' + a / 10 % 10);
    *p++ = static_cast<char>('0' + a % 10);
    return p;
}

inline std::string python_float_repr(double x) {
    char buf[python_float_repr_max];
    return std::string(buf, write_python_float(buf, x));
}

inline std::string python_int_repr(std::int64_t v) { return std::to_string(v); }

}  // namespace warpsynth
