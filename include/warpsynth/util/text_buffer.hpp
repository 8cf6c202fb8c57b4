// warpsynth/util/text_buffer.hpp — a growable character buffer whose appends inline, and the same appends
// written in place into a std::string (`string_writer`).
//
// Rendering builds its text from thousands of short pieces (`var_`, a number, `, `). `std::string::append` is an
// out-of-line call per piece; here the common case is a capacity check and a memcpy the compiler can inline
// (literals have a constant size). The buffer keeps its capacity across `clear()`, so a thread-local one stops
// allocating after the first kernels.
//
// The short appends are forced inline: at their many call sites GCC otherwise keeps them out of line, and a call
// per piece costs more than the piece.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace warpsynth {

namespace text_detail {

template <std::size_t N>
void move(char* d, const char* s) {
    char tmp[N];
    std::memcpy(tmp, s, N);
    std::memcpy(d, tmp, N);
}

// Most pieces are a few to a few dozen characters: copy them with overlapping fixed-size moves the compiler
// inlines, instead of a call to memcpy.
[[gnu::always_inline]] inline void copy(char* d, const char* s, std::size_t n) {
    if (n <= 16) {
        if (n >= 8) {
            move<8>(d, s);
            move<8>(d + n - 8, s + n - 8);
        } else if (n >= 4) {
            move<4>(d, s);
            move<4>(d + n - 4, s + n - 4);
        } else if (n > 0) {
            d[0] = s[0];
            d[n / 2] = s[n / 2];
            d[n - 1] = s[n - 1];
        }
    } else if (n <= 32) {
        move<16>(d, s);
        move<16>(d + n - 16, s + n - 16);
    } else {
        std::memcpy(d, s, n);
    }
}

// Whole lines are copied in 16-byte chunks, up to 15 bytes past their end: one predictable loop instead of a
// size-dependent branch or a call. Both sides need that much room beyond the copied text (see `ensure_slack`).
inline constexpr std::size_t chunk = 16;
[[gnu::always_inline]] inline void copy_chunks(char* d, const char* s, std::size_t n) {
    for (std::size_t i = 0; i < n; i += chunk) move<chunk>(d + i, s + i);
}

// The decimal digits of `n` at `p`; returns their end.
inline char* write_uint_long(char* p, std::uint64_t n) {
    std::size_t k = 1;
    for (auto m = n; m >= 10; m /= 10) ++k;
    char* e = p + k;
    p = e;
    do {
        *--p = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n);
    return e;
}
// Variable numbers are mostly one or two digits: those without the digit-counting loop.
[[gnu::always_inline]] inline char* write_uint(char* p, std::uint64_t n) {
    if (n < 10) {
        *p = static_cast<char>('0' + n);
        return p + 1;
    }
    if (n < 100) {
        p[0] = static_cast<char>('0' + n / 10);
        p[1] = static_cast<char>('0' + n % 10);
        return p + 2;
    }
    return write_uint_long(p, n);
}

// Indentation is copied from here rather than memset.
inline constexpr char spaces[] = "                                                                ";

// `n` spaces at `d`.
[[gnu::always_inline]] inline void put_spaces(char* d, std::size_t n) {
    if (n < sizeof spaces) copy(d, spaces, n);
    else std::memset(d, ' ', n);
}

}  // namespace text_detail

// The appends shared by `text_buffer` (which owns its characters) and `string_writer` (which writes into a
// std::string in place). `Storage::grow(n)` makes room for n more characters and updates data_/cap_.
template <class Storage>
class text_appender {
  public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const char* data() const { return data_; }
    std::string_view view() const { return {data_, size_}; }
    char back() const { return data_[size_ - 1]; }
    void pop_back() { --size_; }
    void truncate(std::size_t n) { size_ = n; }

    // Room for `n` more characters; returns where they go (commit them with `advance`).
    [[gnu::always_inline]] char* reserve(std::size_t n) {
        if (cap_ - size_ < n) static_cast<Storage*>(this)->grow(n);
        return data_ + size_;
    }
    void advance(std::size_t n) { size_ += n; }
    // Readable room past the end, for `text_detail::copy_chunks` reading the last line.
    void ensure_slack() { reserve(text_detail::chunk); }

    [[gnu::always_inline]] Storage& operator+=(std::string_view s) {
        text_detail::copy(reserve(s.size()), s.data(), s.size());
        size_ += s.size();
        return self();
    }
    // String literals: the size is a constant, so the copy compiles to a few stores.
    template <std::size_t N>
    [[gnu::always_inline]] Storage& operator+=(const char (&lit)[N]) {
        std::memcpy(reserve(N - 1), lit, N - 1);
        size_ += N - 1;
        return self();
    }
    [[gnu::always_inline]] Storage& operator+=(char c) {
        *reserve(1) = c;
        ++size_;
        return self();
    }
    [[gnu::always_inline]] void append(std::size_t n, char c) {
        if (c == ' ') text_detail::put_spaces(reserve(n), n);
        else std::memset(reserve(n), c, n);
        size_ += n;
    }
    // `indent` spaces then `s`: a whole line in one step.
    [[gnu::always_inline]] void append_indented(std::size_t indent, std::string_view s) {
        char* d = reserve(indent + s.size());
        text_detail::put_spaces(d, indent);
        text_detail::copy(d + indent, s.data(), s.size());
        size_ += indent + s.size();
    }
    // Decimal digits of `n`.
    [[gnu::always_inline]] void append_uint(std::uint64_t n) {
        char* p = reserve(20);
        size_ += static_cast<std::size_t>(text_detail::write_uint(p, n) - p);
    }

  protected:
    char* data_ = nullptr;
    std::size_t size_ = 0, cap_ = 0;

  private:
    Storage& self() { return static_cast<Storage&>(*this); }
};

class text_buffer : public text_appender<text_buffer> {
  public:
    text_buffer() = default;
    text_buffer(const text_buffer& o) { *this += o.view(); }
    text_buffer& operator=(const text_buffer& o) {
        if (this != &o) {
            clear();
            *this += o.view();
        }
        return *this;
    }
    text_buffer(text_buffer&& o) noexcept { take(o); }
    text_buffer& operator=(text_buffer&& o) noexcept {
        if (this != &o) take(o);
        return *this;
    }

    void clear() { size_ = 0; }

  private:
    friend class text_appender<text_buffer>;
    std::unique_ptr<char[]> own_;

    void take(text_buffer& o) {
        own_ = std::move(o.own_);
        data_ = std::exchange(o.data_, nullptr);
        size_ = std::exchange(o.size_, 0);
        cap_ = std::exchange(o.cap_, 0);
    }
    [[gnu::noinline]] void grow(std::size_t n) {
        std::size_t cap = cap_ ? cap_ * 2 : 1024;
        while (cap - size_ < n) cap *= 2;
        std::unique_ptr<char[]> b(new char[cap]);
        if (size_) std::memcpy(b.get(), data_, size_);
        own_ = std::move(b);
        data_ = own_.get();
        cap_ = cap;
    }
};

// Writes into a std::string in place, from its start: the string's size is the room (grown with `resize`, so only
// room never used before is zero-filled), and the destructor cuts the string to what was written. A string reused
// from kernel to kernel is then written without the copy a separate buffer would need.
class string_writer : public text_appender<string_writer> {
  public:
    explicit string_writer(std::string& s) : s_(s) {
        data_ = s.data();
        cap_ = s.size();
    }
    string_writer(const string_writer&) = delete;
    string_writer& operator=(const string_writer&) = delete;
    ~string_writer() { s_.resize(size_); }

  private:
    friend class text_appender<string_writer>;
    std::string& s_;

    // A little past the request: the zero-fill is the cost, and the usual request is a copy's 16-byte overrun past
    // the previous kernel's length (the string's own capacity still grows geometrically).
    [[gnu::noinline]] void grow(std::size_t n) {
        s_.resize(size_ + n + 256);
        data_ = s_.data();
        cap_ = s_.size();
    }
};

}  // namespace warpsynth
