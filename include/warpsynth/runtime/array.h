// warpsynth runtime: strided arrays, wp::array_t<T>, and the array builtins
// (address/load/store, array atomics) with their adjoints.
#pragma once

#include "atomic.h"

namespace WP_NAMESPACE {

const int ARRAY_MAX_DIMS = 4;
// flags bit: keep the forward array's gradient when an element is overwritten
const uint16 ARRAY_FLAG_RETAIN_GRAD = 1;

struct shape_t {
    int dims[ARRAY_MAX_DIMS];

    CUDA_CALLABLE shape_t() : dims() {}
    CUDA_CALLABLE int operator[](int i) const { return dims[i]; }
    CUDA_CALLABLE int& operator[](int i) { return dims[i]; }
};

CUDA_CALLABLE inline int extract(const shape_t& s, int i) { return s.dims[i]; }
template <typename I, typename R> CUDA_CALLABLE inline void adj_extract(const shape_t&, int, shape_t&, I, R) {}

// Field order matches Warp's array descriptor (data, grad, shape, strides,
// ndim, flags), so the same struct can be filled by Warp's launcher.
// Strides are in bytes. `grad` is optional: it is where gradients go when the
// backward kernel is not handed an explicit adjoint array.
template <typename T> struct array_t {
    T* data;
    T* grad;
    shape_t shape;
    int strides[ARRAY_MAX_DIMS];
    uint16 ndim;
    uint16 flags;

    CUDA_CALLABLE array_t() : data(nullptr), grad(nullptr), shape(), strides(), ndim(0), flags(0) {}

    // Contiguous (row-major) array of up to four dimensions.
    CUDA_CALLABLE array_t(T* data_, int d0, int d1 = 0, int d2 = 0, int d3 = 0, T* grad_ = nullptr)
        : data(data_), grad(grad_), shape(), strides(), ndim(0), flags(0) {
        const int dims[ARRAY_MAX_DIMS] = {d0, d1, d2, d3};
        while (ndim < ARRAY_MAX_DIMS && (ndim == 0 || dims[ndim] > 0))
            ++ndim;
        int stride = int(sizeof(T));
        for (int k = ndim - 1; k >= 0; --k) {
            shape.dims[k] = dims[k];
            strides[k] = stride;
            stride *= dims[k];
        }
    }

    CUDA_CALLABLE bool empty() const { return data == nullptr; }
};

template <typename T> CUDA_CALLABLE inline bool unot(const array_t<T>& a) { return a.data == nullptr; }
template <typename T> CUDA_CALLABLE inline int len(const array_t<T>& a) { return a.shape.dims[0]; }
template <typename T, typename R> CUDA_CALLABLE inline void adj_len(const array_t<T>&, array_t<T>&, R) {}

namespace detail {

// Byte offset of an element (64-bit, so large arrays do not overflow).
template <typename T> CUDA_CALLABLE inline long long byte_offset(const array_t<T>& a, int i) {
    return (long long)i * a.strides[0];
}
template <typename T> CUDA_CALLABLE inline long long byte_offset(const array_t<T>& a, int i, int j) {
    return (long long)i * a.strides[0] + (long long)j * a.strides[1];
}
template <typename T> CUDA_CALLABLE inline long long byte_offset(const array_t<T>& a, int i, int j, int k) {
    return (long long)i * a.strides[0] + (long long)j * a.strides[1] + (long long)k * a.strides[2];
}
template <typename T> CUDA_CALLABLE inline long long byte_offset(const array_t<T>& a, int i, int j, int k, int l) {
    return (long long)i * a.strides[0] + (long long)j * a.strides[1] + (long long)k * a.strides[2] +
           (long long)l * a.strides[3];
}

template <typename T> CUDA_CALLABLE inline T* at_offset(T* base, long long off) {
    return reinterpret_cast<T*>(reinterpret_cast<char*>(base) + off);
}

// Gradient slot of an element: the explicit adjoint array if one was passed,
// else the forward array's own `grad` buffer, else none.
template <typename T, typename... I>
CUDA_CALLABLE inline T* grad_slot(const array_t<T>& a, const array_t<T>& adj_a, I... idx) {
    if (adj_a.data)
        return at_offset(adj_a.data, byte_offset(adj_a, idx...));
    if (a.grad)
        return at_offset(a.grad, byte_offset(a, idx...));
    return nullptr;
}

// adj_address: reading a[idx] sends adj_ret into its gradient slot. Many
// threads may read the same element, hence the atomic.
template <typename T, typename... I>
CUDA_CALLABLE inline void address_adjoint(const array_t<T>& a, const array_t<T>& adj_a, const T& adj_ret, I... idx) {
    if constexpr (is_differentiable<T>::value) {
        if (T* g = grad_slot(a, adj_a, idx...))
            atomic_add(g, adj_ret);
    }
}

// adj_array_store: the stored value receives the element's gradient. When
// the slot is the forward array's own gradient, the overwritten element no
// longer influences the result, so its gradient is cleared (unless the array
// asks to retain it) -- Warp's convention.
template <typename T, typename... I>
CUDA_CALLABLE inline void store_adjoint(const array_t<T>& a, const array_t<T>& adj_a, T& adj_value, I... idx) {
    if constexpr (is_differentiable<T>::value) {
        if (T* g = grad_slot(a, adj_a, idx...)) {
            adj_value += *g;
            const bool owns_forward_grad = a.grad && (!adj_a.data || adj_a.data == a.grad);
            if (owns_forward_grad && !(a.flags & ARRAY_FLAG_RETAIN_GRAD))
                *g = T{};
        }
    }
}

// adj_array_store_slot: a stored component (the slot `access` picks from an
// element) receives that slot's gradient, cleared like adj_array_store's.
template <typename T, typename S, typename Access, typename... I>
CUDA_CALLABLE inline void slot_store_adjoint(const array_t<T>& a, const array_t<T>& adj_a, S& adj_value, Access access,
                                             I... idx) {
    if constexpr (is_differentiable<T>::value) {
        if (T* g = grad_slot(a, adj_a, idx...)) {
            S& slot = access(*g);
            adj_value += slot;
            const bool owns_forward_grad = a.grad && (!adj_a.data || adj_a.data == a.grad);
            if (owns_forward_grad && !(a.flags & ARRAY_FLAG_RETAIN_GRAD))
                slot = S{};
        }
    }
}

// Adjoints of array atomics. add/sub pass the element's gradient to the
// value; min/max pass it only to the value that ended up stored.
template <atomic_op Op, typename T, typename... I> CUDA_CALLABLE inline void
atomic_adjoint(const array_t<T>& a, const array_t<T>& adj_a, const T& value, T& adj_value, I... idx) {
    if constexpr (is_differentiable<T>::value) {
        T* g = grad_slot(a, adj_a, idx...);
        if (!g)
            return;
        if constexpr (Op == atomic_op::add) {
            adj_value += *g;
        } else if constexpr (Op == atomic_op::sub) {
            adj_value -= *g;
        } else {
            // component-wise: a component's gradient goes to this thread's
            // value if that component is the one stored
            typedef typename components<T>::scalar S;
            const S* stored = reinterpret_cast<const S*>(at_offset(a.data, byte_offset(a, idx...)));
            const S* v = reinterpret_cast<const S*>(&value);
            const S* gs = reinterpret_cast<const S*>(g);
            S* adj = reinterpret_cast<S*>(&adj_value);
            for (unsigned k = 0; k < components<T>::count; ++k)
                if (stored[k] == v[k])
                    adj[k] += gs[k];
        }
    }
}

} // namespace detail

template <typename T> CUDA_CALLABLE inline T load(const T* addr) { return *addr; }
template <typename T> CUDA_CALLABLE inline void adj_load(const T*, const T&, T&) {}
template <typename T> CUDA_CALLABLE inline void store(T* addr, const typename identity_type<T>::type& v) { *addr = v; }
template <typename T> CUDA_CALLABLE inline void adj_store(const T*, const T&, const T&, T&) {}

// The array builtins for one number of indices N (1..4). Index adjoints are
// accepted and ignored (indices carry no gradient).
#define WP_INDEX_PARAMS_1 int i
#define WP_INDEX_PARAMS_2 int i, int j
#define WP_INDEX_PARAMS_3 int i, int j, int k
#define WP_INDEX_PARAMS_4 int i, int j, int k, int l
#define WP_INDEX_ARGS_1 i
#define WP_INDEX_ARGS_2 i, j
#define WP_INDEX_ARGS_3 i, j, k
#define WP_INDEX_ARGS_4 i, j, k, l
#define WP_INDEX_ADJ_1 int
#define WP_INDEX_ADJ_2 int, int
#define WP_INDEX_ADJ_3 int, int, int
#define WP_INDEX_ADJ_4 int, int, int, int

#define WP_ARRAY_ATOMIC(NAME, OP, N)                                                                                   \
    template <typename T>                                                                                              \
    CUDA_CALLABLE inline T NAME(const array_t<T>& a, WP_INDEX_PARAMS_##N, const typename identity_type<T>::type& v) {  \
        return detail::atomic_value<detail::atomic_op::OP>(address(a, WP_INDEX_ARGS_##N), v);                          \
    }                                                                                                                  \
    template <typename T> CUDA_CALLABLE inline void adj_##NAME(                                                        \
        const array_t<T>& a, WP_INDEX_PARAMS_##N, const typename identity_type<T>::type& v, const array_t<T>& adj_a,   \
        WP_INDEX_ADJ_##N, typename identity_type<T>::type& adj_v, const typename identity_type<T>::type&) {            \
        detail::atomic_adjoint<detail::atomic_op::OP>(a, adj_a, v, adj_v, WP_INDEX_ARGS_##N);                          \
    }

// Bitwise atomics on arrays: Warp registers them non-differentiable, so its IR never calls an adjoint.
#define WP_ARRAY_BITWISE_ATOMIC(NAME, OP, N)                                                                           \
    template <typename T>                                                                                              \
    CUDA_CALLABLE inline T NAME(const array_t<T>& a, WP_INDEX_PARAMS_##N, const typename identity_type<T>::type& v) {  \
        return detail::atomic_value<detail::atomic_op::OP>(address(a, WP_INDEX_ARGS_##N), v);                          \
    }

#define WP_ARRAY_BUILTINS(N)                                                                                           \
    template <typename T> CUDA_CALLABLE inline T* address(const array_t<T>& a, WP_INDEX_PARAMS_##N) {                  \
        return detail::at_offset(a.data, detail::byte_offset(a, WP_INDEX_ARGS_##N));                                   \
    }                                                                                                                  \
    template <typename T> CUDA_CALLABLE inline void adj_address(const array_t<T>& a, WP_INDEX_PARAMS_##N,              \
                                                                const array_t<T>& adj_a, WP_INDEX_ADJ_##N,             \
                                                                const typename identity_type<T>::type& adj_ret) {      \
        detail::address_adjoint(a, adj_a, adj_ret, WP_INDEX_ARGS_##N);                                                 \
    }                                                                                                                  \
    template <typename T> CUDA_CALLABLE inline void array_store(const array_t<T>& a, WP_INDEX_PARAMS_##N,              \
                                                                const typename identity_type<T>::type& v) {            \
        *address(a, WP_INDEX_ARGS_##N) = v;                                                                            \
    }                                                                                                                  \
    template <typename T> CUDA_CALLABLE inline void adj_array_store(                                                   \
        const array_t<T>& a, WP_INDEX_PARAMS_##N, const T&, const array_t<T>& adj_a, WP_INDEX_ADJ_##N,                 \
        typename identity_type<T>::type& adj_v) {                                                                      \
        detail::store_adjoint(a, adj_a, adj_v, WP_INDEX_ARGS_##N);                                                     \
    }                                                                                                                  \
    WP_ARRAY_ATOMIC(atomic_add, add, N)                                                                                \
    WP_ARRAY_ATOMIC(atomic_sub, sub, N)                                                                                \
    WP_ARRAY_ATOMIC(atomic_min, min, N)                                                                                \
    WP_ARRAY_ATOMIC(atomic_max, max, N)                                                                                \
    WP_ARRAY_BITWISE_ATOMIC(atomic_and, bit_and, N)                                                                    \
    WP_ARRAY_BITWISE_ATOMIC(atomic_or, bit_or, N)                                                                      \
    WP_ARRAY_BITWISE_ATOMIC(atomic_xor, bit_xor, N)

WP_ARRAY_BUILTINS(1)
WP_ARRAY_BUILTINS(2)
WP_ARRAY_BUILTINS(3)
WP_ARRAY_BUILTINS(4)

#undef WP_ARRAY_BUILTINS
#undef WP_ARRAY_ATOMIC
#undef WP_ARRAY_BITWISE_ATOMIC

// The slot store `wp::index(a, i).c[1] = v;` (a component of an array
// element): the element as an lvalue, and the store's adjoint.
template <typename T, typename... I> CUDA_CALLABLE inline T& index(const array_t<T>& a, I... idx) {
    return *detail::at_offset(a.data, detail::byte_offset(a, idx...));
}
template <typename T, typename S, typename Access, typename... I>
CUDA_CALLABLE inline void adj_array_store_slot(const array_t<T>& a, const array_t<T>& adj_a, S& adj_value,
                                               Access access, I... idx) {
    detail::slot_store_adjoint(a, adj_a, adj_value, access, idx...);
}

// a[i] on a multi-dimensional array: the sub-array at index i.
template <typename T> CUDA_CALLABLE inline array_t<T> view(const array_t<T>& a, int i) {
    array_t<T> r;
    r.data = detail::at_offset(a.data, detail::byte_offset(a, i));
    r.grad = a.grad ? detail::at_offset(a.grad, detail::byte_offset(a, i)) : nullptr;
    r.ndim = uint16(a.ndim - 1);
    r.flags = a.flags;
    for (int k = 1; k < ARRAY_MAX_DIMS; ++k) {
        r.shape.dims[k - 1] = a.shape.dims[k];
        r.strides[k - 1] = a.strides[k];
    }
    return r;
}
template <typename T, typename I>
CUDA_CALLABLE inline void adj_view(const array_t<T>&, int, array_t<T>&, I, const array_t<T>&) {}

#undef WP_INDEX_PARAMS_1
#undef WP_INDEX_PARAMS_2
#undef WP_INDEX_PARAMS_3
#undef WP_INDEX_PARAMS_4
#undef WP_INDEX_ARGS_1
#undef WP_INDEX_ARGS_2
#undef WP_INDEX_ARGS_3
#undef WP_INDEX_ARGS_4
#undef WP_INDEX_ADJ_1
#undef WP_INDEX_ADJ_2
#undef WP_INDEX_ADJ_3
#undef WP_INDEX_ADJ_4

} // namespace WP_NAMESPACE
