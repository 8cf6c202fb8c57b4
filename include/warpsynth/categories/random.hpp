// warpsynth/categories/random.hpp — counter-based randomness: record (seed, index) -> an independent stream.
//
// Any record can be regenerated alone, by any thread or shard: its stream depends on nothing but (seed, index).
#pragma once

#include <cstdint>
#include <span>

namespace warpsynth::categories {

constexpr std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

class rng {
  public:
    rng(std::uint64_t seed, std::uint64_t index) : state_(splitmix64(splitmix64(seed) ^ index)) {}
    std::uint64_t next() { return state_ = splitmix64(state_); }
    // Uniform integer in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool coin() { return next() & 1; }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    template <class T>
    const T& pick(std::span<const T> items) {
        return items[next() % items.size()];
    }

  private:
    std::uint64_t state_;
};

}  // namespace warpsynth::categories
