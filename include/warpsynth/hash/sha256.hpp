// warpsynth/hash/sha256.hpp — SHA-256 from GNU Nettle (no hand-rolled crypto).
#pragma once

#include <nettle/sha2.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace warpsynth {

class sha256 {
  public:
    using digest = std::array<std::uint8_t, SHA256_DIGEST_SIZE>;
    sha256() { sha256_init(&ctx_); }
    sha256& update(std::string_view s) {
        sha256_update(&ctx_, s.size(), reinterpret_cast<const std::uint8_t*>(s.data()));
        return *this;
    }
    sha256& update(const digest& d) {
        sha256_update(&ctx_, d.size(), d.data());
        return *this;
    }
    digest finish() {
        digest d;
        sha256_digest(&ctx_, d.size(), d.data());
        return d;
    }

  private:
    sha256_ctx ctx_;
};

inline void append_hex(std::string& out, const std::uint8_t* p, std::size_t n) {
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < n; ++i) {
        out += hex[p[i] >> 4];
        out += hex[p[i] & 15];
    }
}

}  // namespace warpsynth
