// warpsynth runtime: platform configuration.
//
// The generated kernel text is compiled in two very different environments:
//   * host C++ (g++/clang, C++17 or later) for the *_cpu_kernel_* functions;
//   * NVRTC for the *_cuda_kernel_* functions, where no C or C++ standard
//     library header can be included.
// Everything environment specific is decided here so the other headers can
// stay identical for both.
#pragma once

#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
#define WP_CUDA_COMPILE 1
#endif

// The namespace of everything below: `wp`, which the generated code names. Native kernels (warpsynth/native.hpp)
// put it elsewhere, because their translation units also use the DSL's own `warpsynth::wp` (wp::sin, ...).
#ifndef WP_NAMESPACE
#define WP_NAMESPACE wp
#endif

#if defined(__CUDA_ARCH__)
// True only while generating device code (NVRTC, or the device pass of nvcc).
#define WP_DEVICE_CODE 1
#endif

#ifdef WP_CUDA_COMPILE
#define CUDA_CALLABLE __host__ __device__
#define CUDA_CALLABLE_DEVICE __device__
#else
#define CUDA_CALLABLE
#define CUDA_CALLABLE_DEVICE
#endif

// Attribute of the `extern "C"` CPU entry points in Warp's module text.
#ifndef WP_API
#if defined(_WIN32)
#define WP_API __declspec(dllexport)
#else
#define WP_API __attribute__((visibility("default")))
#endif
#endif

#ifndef __CUDACC_RTC__
// Host compilers (and nvcc) have a C library. NVRTC provides the CUDA math
// functions (sinf, sqrt, ...) and atomics as built-ins instead.
#include <cmath>
#include <cstddef>
#include <cstdint>
#endif

// Warp prints non-finite literals as INFINITY / NAN; NVRTC does not define
// them (nor the GCC builtins <cmath> uses), so build them from their bits.
#ifndef INFINITY
#define INFINITY __int_as_float(0x7f800000)
#endif
#ifndef NAN
#define NAN __int_as_float(0x7fffffff)
#endif
