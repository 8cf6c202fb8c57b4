// warpsynth/categories/scratch.hpp — per-thread bump storage for what one instance's generation needs briefly.
//
// Building an instance makes ~30-60 short-lived objects (erased expression holders, generated names) that die
// when the instance has been lowered. Allocating each from the heap cost ~1.5 us a record (malloc + free were a
// fifth of `make`); a bump arena rewound after the instance reuses the same few chunks for every record.
// Scopes nest (a `mark` is taken when a generator starts and the arena is rewound to it when it ends), so an
// instance built while another is being built cannot free the other's objects.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace warpsynth::categories::detail {

class scratch_arena {
  public:
    struct mark {
        std::size_t chunk, used;
        void* destroy_head;
    };
    mark position() const { return {chunk_, used_, destroy_head_}; }

    // Run the destructors of the objects made since `m` (newest first) and give their space back.
    void rewind(const mark& m) {
        while (destroy_head_ != m.destroy_head) {
            auto* d = static_cast<destroy_node*>(destroy_head_);
            destroy_head_ = d->next;
            d->destroy(d->object);
        }
        chunk_ = m.chunk;
        used_ = m.used;
    }

    template <class T, class... A>
    T* make(A&&... a) {
        T* p = ::new (allocate(sizeof(T), alignof(T))) T(std::forward<A>(a)...);
        if constexpr (!std::is_trivially_destructible_v<T>) {
            auto* d = ::new (allocate(sizeof(destroy_node), alignof(destroy_node))) destroy_node;
            d->object = p;
            d->destroy = [](void* o) { static_cast<T*>(o)->~T(); };
            d->next = destroy_head_;
            destroy_head_ = d;
        }
        return p;
    }

    // A copy of `s` that lives until the arena is rewound past this point.
    std::string_view copy(std::string_view s) {
        auto* p = static_cast<char*>(allocate(s.size() ? s.size() : 1, 1));
        if (!s.empty()) std::memcpy(p, s.data(), s.size());
        return {p, s.size()};
    }

  private:
    static constexpr std::size_t chunk_size = 16 * 1024;
    struct destroy_node {
        void* object;
        void (*destroy)(void*);
        void* next;
    };
    struct chunk {
        std::unique_ptr<std::byte[]> bytes;
        std::size_t size;
    };
    std::vector<chunk> chunks_;
    std::size_t chunk_ = 0, used_ = 0;  // the current chunk and the bytes used in it
    void* destroy_head_ = nullptr;

    void* allocate(std::size_t n, std::size_t align) {
        while (true) {
            if (chunk_ < chunks_.size()) {
                auto& c = chunks_[chunk_];
                std::size_t at = (used_ + align - 1) & ~(align - 1);
                if (at + n <= c.size) {
                    used_ = at + n;
                    return c.bytes.get() + at;
                }
                if (chunk_ + 1 < chunks_.size() && n + align <= chunks_[chunk_ + 1].size) {
                    ++chunk_;
                    used_ = 0;
                    continue;
                }
            }
            // A new chunk after the current one (an object larger than a chunk gets one of its own size).
            std::size_t size = n + align > chunk_size ? n + align : chunk_size;
            std::size_t at = chunks_.empty() ? 0 : chunk_ + 1;
            chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(at), {std::make_unique<std::byte[]>(size), size});
            chunk_ = at;
            used_ = 0;
        }
    }
};

inline scratch_arena& thread_scratch() {
    thread_local scratch_arena arena;
    return arena;
}

}  // namespace warpsynth::categories::detail
