// warpsynth runtime: atomic read-modify-write on a single memory location.
//
// Each function returns the value held before the update. On the host the
// CPU kernels run one task at a time, so a plain read-modify-write suffices;
// on the device native atomics are used where CUDA has them and a
// compare-and-swap loop otherwise. Composite values (vectors, matrices,
// quaternions, transforms) are updated component by component, as in Warp.
#pragma once

#include "transform.h"

namespace WP_NAMESPACE {

// Scalar type and number of scalar components of a value type; composites
// are stored as contiguous arrays of their scalar type.
template <typename T> struct components {
    typedef T scalar;
    static constexpr unsigned count = 1;
};
template <unsigned N, typename T> struct components<vec_t<N, T>> {
    typedef T scalar;
    static constexpr unsigned count = N;
};
template <unsigned R, unsigned C, typename T> struct components<mat_t<R, C, T>> {
    typedef T scalar;
    static constexpr unsigned count = R * C;
};
template <typename T> struct components<quat_t<T>> {
    typedef T scalar;
    static constexpr unsigned count = 4;
};
template <typename T> struct components<transform_t<T>> {
    typedef T scalar;
    static constexpr unsigned count = 7;
};

namespace detail {

// Byte-wise copy between same-sized types (no std::bit_cast under NVRTC).
template <typename To, typename From> CUDA_CALLABLE inline To bit_cast(const From& f) {
    static_assert(sizeof(To) == sizeof(From), "bit_cast needs equal sizes");
    To t;
    const char* s = reinterpret_cast<const char*>(&f);
    char* d = reinterpret_cast<char*>(&t);
    for (unsigned i = 0; i < sizeof(To); ++i)
        d[i] = s[i];
    return t;
}

enum class atomic_op { add, sub, min, max, bit_and, bit_or, bit_xor };

template <atomic_op Op, typename T> CUDA_CALLABLE inline T apply_op(T old, T v) {
    if constexpr (Op == atomic_op::add)
        return T(old + v);
    else if constexpr (Op == atomic_op::sub)
        return T(old - v);
    else if constexpr (Op == atomic_op::min)
        return min(old, v);
    else if constexpr (Op == atomic_op::max)
        return max(old, v);
    else if constexpr (Op == atomic_op::bit_and)
        return T(old & v);
    else if constexpr (Op == atomic_op::bit_or)
        return T(old | v);
    else
        return T(old ^ v);
}

#if defined(WP_DEVICE_CODE)
// Compare-and-swap loop applying `Op` to a scalar of any size 1, 2, 4 or 8.
template <atomic_op Op, typename T> __device__ inline T atomic_cas_loop(T* addr, T v) {
    if constexpr (sizeof(T) == 8) {
        unsigned long long* p = reinterpret_cast<unsigned long long*>(addr);
        unsigned long long seen = *p, expected;
        do {
            expected = seen;
            const T next = apply_op<Op>(bit_cast<T>(expected), v);
            seen = atomicCAS(p, expected, bit_cast<unsigned long long>(next));
        } while (seen != expected);
        return bit_cast<T>(seen);
    } else if constexpr (sizeof(T) == 4) {
        unsigned int* p = reinterpret_cast<unsigned int*>(addr);
        unsigned int seen = *p, expected;
        do {
            expected = seen;
            const T next = apply_op<Op>(bit_cast<T>(expected), v);
            seen = atomicCAS(p, expected, bit_cast<unsigned int>(next));
        } while (seen != expected);
        return bit_cast<T>(seen);
    } else if constexpr (sizeof(T) == 2) {
        unsigned short* p = reinterpret_cast<unsigned short*>(addr);
        unsigned short seen = *p, expected;
        do {
            expected = seen;
            const T next = apply_op<Op>(bit_cast<T>(expected), v);
            seen = atomicCAS(p, expected, bit_cast<unsigned short>(next));
        } while (seen != expected);
        return bit_cast<T>(seen);
    } else {
        // single byte: CAS on the aligned 32-bit word that contains it
        const size_t a = reinterpret_cast<size_t>(addr);
        unsigned int* word = reinterpret_cast<unsigned int*>(a & ~size_t(3));
        const unsigned int shift = unsigned(a & 3u) * 8u;
        unsigned int seen = *word, expected;
        do {
            expected = seen;
            const T old = bit_cast<T>(static_cast<unsigned char>((expected >> shift) & 0xffu));
            const unsigned int next = bit_cast<unsigned char>(apply_op<Op>(old, v));
            seen = atomicCAS(word, expected, (expected & ~(0xffu << shift)) | (next << shift));
        } while (seen != expected);
        return bit_cast<T>(static_cast<unsigned char>((seen >> shift) & 0xffu));
    }
}

// Native CUDA atomics where they exist, the CAS loop otherwise.
template <atomic_op Op, typename T> __device__ inline T atomic_scalar_device(T* addr, T v) {
    if constexpr (Op == atomic_op::add) {
        if constexpr (sizeof(T) == 4 && (is_float<T>::value || is_integer<T>::value))
            return atomicAdd(addr, v); // float, int, unsigned int
        else if constexpr (sizeof(T) == 8 && is_float<T>::value)
            return atomicAdd(addr, v);     // double
        else if constexpr (sizeof(T) == 8) // two's complement: unsigned add == signed add
            return T(atomicAdd(reinterpret_cast<unsigned long long*>(addr), (unsigned long long)(v)));
        else
            return atomic_cas_loop<Op>(addr, v);
    } else if constexpr (Op == atomic_op::sub) {
        if constexpr (is_integer<T>::value && (sizeof(T) == 4 || sizeof(T) == 8))
            return atomic_scalar_device<atomic_op::add>(addr, T(T(0) - v));
        else
            return atomic_cas_loop<Op>(addr, v);
    } else if constexpr (Op == atomic_op::bit_and || Op == atomic_op::bit_or || Op == atomic_op::bit_xor) {
        // [u]int32 natively; 64-bit through the unsigned long long overloads (bitwise ops ignore signedness)
        if constexpr (sizeof(T) == 4) {
            if constexpr (Op == atomic_op::bit_and) return atomicAnd(addr, v);
            else if constexpr (Op == atomic_op::bit_or) return atomicOr(addr, v);
            else return atomicXor(addr, v);
        } else if constexpr (sizeof(T) == 8) {
            unsigned long long* p = reinterpret_cast<unsigned long long*>(addr);
            const unsigned long long u = (unsigned long long)(v);
            if constexpr (Op == atomic_op::bit_and) return T(atomicAnd(p, u));
            else if constexpr (Op == atomic_op::bit_or) return T(atomicOr(p, u));
            else return T(atomicXor(p, u));
        } else {
            return atomic_cas_loop<Op>(addr, v);
        }
    } else {
        if constexpr (is_integer<T>::value && (sizeof(T) == 4 || sizeof(T) == 8)) {
            if constexpr (Op == atomic_op::min)
                return atomicMin(addr, v);
            else
                return atomicMax(addr, v);
        } else {
            return atomic_cas_loop<Op>(addr, v);
        }
    }
}
#endif

template <atomic_op Op, typename T> CUDA_CALLABLE inline T atomic_scalar(T* addr, T v) {
#if defined(WP_DEVICE_CODE)
    return atomic_scalar_device<Op>(addr, v);
#else
    const T old = *addr;
    *addr = apply_op<Op>(old, v);
    return old;
#endif
}

// Component-wise update of any value type; returns the previous value.
template <atomic_op Op, typename T> CUDA_CALLABLE inline T atomic_value(T* addr, const T& v) {
    if constexpr (components<T>::count == 1 && is_scalar<T>::value) {
        return atomic_scalar<Op>(addr, v);
    } else {
        typedef typename components<T>::scalar S;
        S* dst = reinterpret_cast<S*>(addr);
        const S* src = reinterpret_cast<const S*>(&v);
        T old;
        S* prev = reinterpret_cast<S*>(&old);
        for (unsigned k = 0; k < components<T>::count; ++k)
            prev[k] = atomic_scalar<Op>(dst + k, src[k]);
        return old;
    }
}

} // namespace detail

// Pointer-level atomics (also what adjoint accumulation into arrays uses).
template <typename T> CUDA_CALLABLE inline T atomic_add(T* addr, T v) {
    return detail::atomic_value<detail::atomic_op::add>(addr, v);
}
template <typename T> CUDA_CALLABLE inline T atomic_sub(T* addr, T v) {
    return detail::atomic_value<detail::atomic_op::sub>(addr, v);
}
template <typename T> CUDA_CALLABLE inline T atomic_min(T* addr, T v) {
    return detail::atomic_value<detail::atomic_op::min>(addr, v);
}
template <typename T> CUDA_CALLABLE inline T atomic_max(T* addr, T v) {
    return detail::atomic_value<detail::atomic_op::max>(addr, v);
}
// Bitwise atomics ([u]int32, [u]int64 in Warp): not differentiable, so no adjoints.
template <typename T> CUDA_CALLABLE inline T atomic_and(T* addr, T v) {
    return detail::atomic_value<detail::atomic_op::bit_and>(addr, v);
}
template <typename T> CUDA_CALLABLE inline T atomic_or(T* addr, T v) {
    return detail::atomic_value<detail::atomic_op::bit_or>(addr, v);
}
template <typename T> CUDA_CALLABLE inline T atomic_xor(T* addr, T v) {
    return detail::atomic_value<detail::atomic_op::bit_xor>(addr, v);
}

} // namespace WP_NAMESPACE
