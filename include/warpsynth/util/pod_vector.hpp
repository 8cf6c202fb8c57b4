// warpsynth/util/pod_vector.hpp — a growable array of trivially copyable values whose push_back inlines.
//
// The IR builder appends a few hundred lines per kernel to its blocks' line lists. At that many call sites GCC
// keeps std::vector::push_back out of line, and the call cost more than the 12-byte store. Here the common case
// is a capacity check and a store; growing is out of line. Capacity is kept across clear(), so reused lists stop
// allocating after the first kernels.
#pragma once

#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <type_traits>

namespace warpsynth {

template <class T>
class pod_vector {
    static_assert(std::is_trivially_copyable_v<T>, "pod_vector copies its elements as bytes");

  public:
    using value_type = T;
    using const_iterator = const T*;
    using const_reverse_iterator = std::reverse_iterator<const T*>;

    pod_vector() = default;
    pod_vector(const pod_vector& o) { append(o.begin(), o.end()); }
    pod_vector& operator=(const pod_vector& o) {
        if (this != &o) {
            clear();
            append(o.begin(), o.end());
        }
        return *this;
    }
    pod_vector(pod_vector&&) noexcept = default;
    pod_vector& operator=(pod_vector&&) noexcept = default;

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    void clear() { size_ = 0; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    T& back() { return data_[size_ - 1]; }
    const T& back() const { return data_[size_ - 1]; }
    void pop_back() { --size_; }

    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    T* begin() { return data_.get(); }
    T* end() { return data_.get() + size_; }
    const T* begin() const { return data_.get(); }
    const T* end() const { return data_.get() + size_; }
    const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
    const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }

    // By value: a small element then lives in registers, not in a stack slot that the copy would reload whole
    // over its just-stored fields (a store-forwarding stall).
    [[gnu::always_inline]] void push_back(T v) {
        if (size_ == cap_) [[unlikely]]
            grow(size_ + 1);
        data_[size_++] = v;
    }
    // A value-initialized element at the end, to be filled in place.
    [[gnu::always_inline]] T& emplace_back() {
        if (size_ == cap_) [[unlikely]]
            grow(size_ + 1);
        T* p = data_.get() + size_++;
        *p = T{};
        return *p;
    }
    // Append [first, last): another list's elements, forwards or reversed (it must not be this list).
    template <class It>
    void append(It first, It last) {
        auto n = static_cast<std::size_t>(std::distance(first, last));
        if (cap_ - size_ < n) grow(size_ + n);
        T* d = data_.get() + size_;
        for (; first != last; ++first) *d++ = *first;
        size_ += n;
    }
    template <class It>
    void assign(It first, It last) {
        clear();
        append(first, last);
    }

  private:
    std::unique_ptr<T[]> data_;
    std::size_t size_ = 0, cap_ = 0;

    [[gnu::noinline]] void grow(std::size_t need) {
        std::size_t cap = cap_ ? 2 * cap_ : 16;
        while (cap < need) cap *= 2;
        std::unique_ptr<T[]> d(new T[cap]);
        if (size_) std::memcpy(d.get(), data_.get(), size_ * sizeof(T));
        data_ = std::move(d);
        cap_ = cap;
    }
};

}  // namespace warpsynth
