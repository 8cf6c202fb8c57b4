// examples/driver/common.hpp — shared pieces of the `warpsynth` dataset driver: errors, devices, JSON writing.
//
// The driver's output is byte-for-byte what Python's json.dumps(record, ensure_ascii=False) writes (separators
// ", " and ": "), so a record re-serialized by Python is the same bytes. Only the characters JSON requires are
// escaped: '"', '\\' and the C0 controls (the named escapes \n \t \r \b \f, \u00XX for the rest).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include <warpsynth/version.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define WARPSYNTH_DRIVER_AVX512 1  // AVX-512 (VBMI2) loops compiled for every x86-64 build, used where the CPU has it
#endif

namespace warpsynth::driver {

inline constexpr std::string_view generator_string = "warpsynth " WARPSYNTH_VERSION;
inline constexpr std::string_view warp_version = WARPSYNTH_WARP_VERSION;
// Seeds and indices are written as JSON numbers; every JSON reader (Python, JavaScript, ours) holds them exactly
// only up to 2^53 - 1.
inline constexpr std::uint64_t max_json_integer = (std::uint64_t{1} << 53) - 1;

// A bad command line or an unusable output directory: one line, exit status 2, nothing written.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A failed read or write (disk full, I/O error): exit status 1.
struct io_error : std::runtime_error {
    int err = 0;
    io_error(const std::string& what, int e) : std::runtime_error(what), err(e) {}
};

enum class devices : std::uint8_t { cpu = 1, cuda = 2, both = 3 };
constexpr bool has_cpu(devices d) { return (static_cast<int>(d) & 1) != 0; }
constexpr bool has_cuda(devices d) { return (static_cast<int>(d) & 2) != 0; }
constexpr std::string_view device_name(devices d) {
    return d == devices::cpu ? "cpu" : d == devices::cuda ? "cuda" : "both";
}

// A growable byte buffer that, unlike std::string, does not initialize what it reserves: the JSON writer
// reserves the worst case of a field and writes straight into it.
class byte_buffer {
  public:
    byte_buffer() = default;
    byte_buffer(const byte_buffer&) = delete;
    byte_buffer& operator=(const byte_buffer&) = delete;
    byte_buffer(byte_buffer&& o) noexcept : p_(o.p_), size_(o.size_), cap_(o.cap_) { o.p_ = nullptr, o.size_ = o.cap_ = 0; }
    byte_buffer& operator=(byte_buffer&& o) noexcept {
        std::swap(p_, o.p_);
        std::swap(size_, o.size_);
        std::swap(cap_, o.cap_);
        return *this;
    }
    ~byte_buffer() { delete[] p_; }

    const char* data() const { return p_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    void clear() { size_ = 0; }
    std::string_view view() const { return {p_, size_}; }
    operator std::string_view() const { return view(); }
    std::string str() const { return std::string(view()); }

    void reserve(std::size_t n) {
        if (n > cap_) grow(n);
    }
    // Room for `n` more bytes: write them at the returned pointer, then call set_end.
    char* extend(std::size_t n) {
        reserve(size_ + n);
        return p_ + size_;
    }
    void set_end(char* end) { size_ = static_cast<std::size_t>(end - p_); }

    void append(const char* s, std::size_t n) {
        reserve(size_ + n);
        if (n) std::memcpy(p_ + size_, s, n);
        size_ += n;
    }
    void push_back(char c) {
        if (size_ == cap_) grow(size_ + 1);
        p_[size_++] = c;
    }
    byte_buffer& operator+=(std::string_view s) {
        append(s.data(), s.size());
        return *this;
    }
    byte_buffer& operator+=(char c) {
        push_back(c);
        return *this;
    }

  private:
    char* p_ = nullptr;
    std::size_t size_ = 0, cap_ = 0;
    void grow(std::size_t n) {
        std::size_t c = std::max({n, 2 * cap_, std::size_t{4096}});
        char* q = new char[c];
        if (size_) std::memcpy(q, p_, size_);
        delete[] p_;
        p_ = q;
        cap_ = c;
    }
};

namespace detail {
inline constexpr std::array<bool, 256> json_special = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = true;
    t['"'] = t['\\'] = true;
    return t;
}();

// Write the escape of special character c at o; returns the new end.
inline char* put_escape(char* o, unsigned char c) {
    static constexpr char hex[] = "0123456789abcdef";
    *o++ = '\\';
    switch (c) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\n': *o++ = 'n'; break;
    case '\t': *o++ = 't'; break;
    case '\r': *o++ = 'r'; break;
    case '\b': *o++ = 'b'; break;
    case '\f': *o++ = 'f'; break;
    default:
        *o++ = 'u';
        *o++ = '0';
        *o++ = '0';
        *o++ = hex[c >> 4];
        *o++ = hex[c & 15];
    }
    return o;
}
}  // namespace detail

namespace detail {
// The escape loop from `p` to `end` without vector instructions beyond SSE2 (16 bytes at a time between escapes,
// a byte loop elsewhere). Writes at `o`, which has room for the worst case (6 bytes per input byte).
inline char* escape_portable(char* o, const unsigned char* p, const unsigned char* end) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), c1f = _mm_set1_epi8(0x1F);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(o), v);  // room: see the caller's reservation
        __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v));
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        if (!mask) {
            p += 16;
            o += 16;
            continue;
        }
        unsigned i = static_cast<unsigned>(__builtin_ctz(mask));
        p += i;
        o += i;
        o = put_escape(o, *p++);
    }
#endif
    for (; p < end; ++p) {
        if (json_special[*p]) o = put_escape(o, *p);
        else *o++ = static_cast<char>(*p);
    }
    return o;
}

#if defined(WARPSYNTH_DRIVER_AVX512)
// AVX-512 (VBMI2): 32 input bytes per step and no branch per escape, which matters because the IR texts have one
// newline every ~40 bytes (the SSE2 loop mispredicts on most of them). Controls are replaced by their escape
// letter, then one expand spreads the 32 bytes over the output, leaving a hole before each special byte that a
// backslash fills. A block holding a control character without a one-letter escape (\u00XX) goes through the
// portable loop. Same bytes as `escape_portable` (the driver unit tests compare them).
[[gnu::target("avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2,bmi2,popcnt")]] inline char* escape_avx512(
    char* o, const unsigned char* p, const unsigned char* end) {
    // The escape letter of each control character; 0 where it has none.
    alignas(32) static constexpr char control_letter[32] = {0, 0, 0, 0, 0, 0, 0, 0, 'b', 't', 'n', 0, 'f', 'r'};
    const __m256i letters = _mm256_load_si256(reinterpret_cast<const __m256i*>(control_letter));
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\'), c1f = _mm256_set1_epi8(0x1F);
    const __m512i backslashes = _mm512_set1_epi8('\\');
    while (end - p >= 32) {
        __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        __mmask32 control = _mm256_cmpeq_epi8_mask(_mm256_min_epu8(v, c1f), v);
        __mmask32 special = control | _mm256_cmpeq_epi8_mask(v, quote) | _mm256_cmpeq_epi8_mask(v, backslash);
        // Controls take their letter; '"' and '\\' are their own letter.
        __m256i letter = _mm256_mask_permutexvar_epi8(v, control, v, letters);
        if (_mm256_mask_cmpeq_epi8_mask(control, letter, _mm256_setzero_si256())) {
            o = escape_portable(o, p, p + 32);
            p += 32;
            continue;
        }
        // The holes in output positions: byte i owns slots 2i and, if special, 2i+1 of a 64-slot pattern; its
        // hole is slot 2i, counted among the pattern's slots by pext. (An expand and no widening: 7% faster than
        // widening each byte to a 16-bit word and compressing.)
        const std::uint64_t sp = special;
        const std::uint64_t slots = 0x5555555555555555ull | _pdep_u64(sp, 0xAAAAAAAAAAAAAAAAull);
        const std::uint64_t holes = _pext_u64(_pdep_u64(sp, 0x5555555555555555ull), slots);
        // Room: see the caller's reservation. Output positions past 32 + specials take the cast's upper (unset)
        // half; they lie beyond what `o` advances over and are overwritten or cut off.
        _mm512_storeu_si512(o, _mm512_mask_expand_epi8(backslashes, ~holes, _mm512_castsi256_si512(letter)));
        o += 32 + _mm_popcnt_u32(special);
        p += 32;
    }
    return escape_portable(o, p, end);
}

inline bool cpu_has_avx512_vbmi2() {
    static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
                            __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("bmi2");
    return has;
}
#else
inline bool cpu_has_avx512_vbmi2() { return false; }
#endif
}  // namespace detail

// Same bytes as warpsynth::json::append_string (json.dumps(s, ensure_ascii=False)). Reserves the worst case
// (6 bytes per input byte; a vector step stores 64 bytes past where it writes, always inside that room).
// `allow_avx512 = false` forces the portable loop (the tests compare both).
inline void append_json_string(byte_buffer& out, std::string_view s, bool allow_avx512 = true) {
    char* o = out.extend(6 * s.size() + 2);
    *o++ = '"';
    auto p = reinterpret_cast<const unsigned char*>(s.data());
#if defined(WARPSYNTH_DRIVER_AVX512)
    if (allow_avx512 && detail::cpu_has_avx512_vbmi2()) o = detail::escape_avx512(o, p, p + s.size());
    else o = detail::escape_portable(o, p, p + s.size());
#else
    (void)allow_avx512;
    o = detail::escape_portable(o, p, p + s.size());
#endif
    *o++ = '"';
    out.set_end(o);
}

inline void append_json_string(std::string& out, std::string_view s) {
    byte_buffer b;
    append_json_string(b, s);
    out += b.view();
}

inline void append_uint(byte_buffer& out, std::uint64_t v) {
    char buf[24];
    char* e = buf + sizeof buf;
    char* b = e;
    do {
        *--b = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    out.append(b, static_cast<std::size_t>(e - b));
}

inline void append_uint(std::string& out, std::uint64_t v) {
    char buf[24];
    char* e = buf + sizeof buf;
    char* b = e;
    do {
        *--b = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    out.append(b, e);
}

// 1234567 -> "1,234,567" (summaries and progress).
inline std::string with_commas(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// Is `s` valid UTF-8? On failure `bad` is the byte offset of the first invalid sequence.
inline bool valid_utf8(std::string_view s, std::size_t& bad) {
    auto u = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t n = s.size(), i = 0;
    while (i < n) {
        unsigned char c = u[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
        else return bad = i, false;
        if (i + len > n) return bad = i, false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((u[i + k] & 0xC0) != 0x80) return bad = i, false;
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return bad = i, false;
        i += len;
    }
    return true;
}

}  // namespace warpsynth::driver
