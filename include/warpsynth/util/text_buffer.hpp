// warpsynth/util/text_buffer.hpp — a growable character buffer whose appends inline.
//
// Rendering builds its text from thousands of short pieces (`var_`, a number, `, `). `std::string::append` is an
// out-of-line call per piece; here the common case is a capacity check and a memcpy the compiler can inline
// (literals have a constant size). The buffer keeps its capacity across `clear()`, so a thread-local one stops
// allocating after the first kernels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace warpsynth {

class text_buffer {
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
    text_buffer(text_buffer&&) noexcept = default;
    text_buffer& operator=(text_buffer&&) noexcept = default;

    void clear() { size_ = 0; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const char* data() const { return buf_.get(); }
    std::string_view view() const { return {buf_.get(), size_}; }
    char back() const { return buf_[size_ - 1]; }
    void pop_back() { --size_; }
    void truncate(std::size_t n) { size_ = n; }

    // Room for `n` more characters; returns where they go (commit them with `advance`).
    char* reserve(std::size_t n) {
        if (cap_ - size_ < n) grow(n);
        return buf_.get() + size_;
    }
    void advance(std::size_t n) { size_ += n; }

    text_buffer& operator+=(std::string_view s) {
        std::memcpy(reserve(s.size()), s.data(), s.size());
        size_ += s.size();
        return *this;
    }
    // String literals: the size is a constant, so the copy compiles to a few stores.
    template <std::size_t N>
    text_buffer& operator+=(const char (&lit)[N]) {
        std::memcpy(reserve(N - 1), lit, N - 1);
        size_ += N - 1;
        return *this;
    }
    text_buffer& operator+=(char c) {
        *reserve(1) = c;
        ++size_;
        return *this;
    }
    void append(std::size_t n, char c) {
        std::memset(reserve(n), c, n);
        size_ += n;
    }
    // Decimal digits of `n`.
    void append_uint(std::uint64_t n) {
        char tmp[20];
        int k = 0;
        do {
            tmp[k++] = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n);
        char* p = reserve(static_cast<std::size_t>(k));
        for (int i = 0; i < k; ++i) p[i] = tmp[k - 1 - i];
        size_ += static_cast<std::size_t>(k);
    }

  private:
    std::unique_ptr<char[]> buf_;
    std::size_t size_ = 0, cap_ = 0;

    void grow(std::size_t n) {
        std::size_t cap = cap_ ? cap_ * 2 : 1024;
        while (cap - size_ < n) cap *= 2;
        std::unique_ptr<char[]> b(new char[cap]);
        if (size_) std::memcpy(b.get(), buf_.get(), size_);
        buf_ = std::move(b);
        cap_ = cap;
    }
};

}  // namespace warpsynth
