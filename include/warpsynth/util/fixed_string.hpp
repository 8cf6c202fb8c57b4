// warpsynth/util/fixed_string.hpp — a string usable as a template argument (names of type spellings, builtins).
#pragma once

#include <cstddef>
#include <string_view>

namespace warpsynth {

template <std::size_t N>
struct fixed_string {
    char data[N]{};
    constexpr fixed_string(const char (&s)[N]) {
        for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
    }
    constexpr std::string_view view() const { return {data, N - 1}; }
    constexpr operator std::string_view() const { return view(); }
};

}  // namespace warpsynth
