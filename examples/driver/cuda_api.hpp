// examples/driver/cuda_api.hpp — the few NVRTC and CUDA driver API entry points `warpsynth launch` uses.
//
// Both libraries are opened at run time (dlopen), so the driver builds and runs on machines without CUDA: there
// `launch` still reports what it can (NVRTC missing → one clear error; no driver or no device → execution is
// skipped with the reason). The declarations below are the C ABI of CUDA 12/13 (cuda.h, nvrtc.h); only opaque
// handles and int status codes cross it.
#pragma once

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace warpsynth::driver::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st*;
using CUmodule = struct CUmod_st*;
using CUfunction = struct CUfunc_st*;
using CUstream = struct CUstream_st*;
using nvrtcResult = int;
using nvrtcProgram = struct _nvrtcProgram*;

inline constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
inline constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

struct api_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

namespace detail {
template <class F> void bind(void* lib, F& f, const char* name, const char* libname) {
    f = reinterpret_cast<F>(::dlsym(lib, name));
    if (!f) throw api_error(std::string(libname) + " lacks " + name);
}
}  // namespace detail

// NVRTC: compile CUDA C++ source to a cubin (sm_XX) or PTX (compute_XX).
struct nvrtc_api {
    nvrtcResult (*create)(nvrtcProgram*, const char*, const char*, int, const char* const*, const char* const*) = nullptr;
    nvrtcResult (*compile)(nvrtcProgram, int, const char* const*) = nullptr;
    nvrtcResult (*destroy)(nvrtcProgram*) = nullptr;
    nvrtcResult (*log_size)(nvrtcProgram, std::size_t*) = nullptr;
    nvrtcResult (*log)(nvrtcProgram, char*) = nullptr;
    nvrtcResult (*cubin_size)(nvrtcProgram, std::size_t*) = nullptr;
    nvrtcResult (*cubin)(nvrtcProgram, char*) = nullptr;
    nvrtcResult (*ptx_size)(nvrtcProgram, std::size_t*) = nullptr;
    nvrtcResult (*ptx)(nvrtcProgram, char*) = nullptr;
    const char* (*error_string)(nvrtcResult) = nullptr;

    // `path` empty: the CUDA toolkit's library by its usual names.
    explicit nvrtc_api(const std::string& path) {
        void* lib = nullptr;
        std::string tried;
        std::vector<std::string> names{path};
        if (path.empty()) names = {"libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "/usr/local/cuda/lib64/libnvrtc.so"};
        for (const auto& name : names) {
            if ((lib = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL))) break;
            tried += (tried.empty() ? "" : ", ") + name;
        }
        if (!lib) throw api_error("cannot load NVRTC (tried " + tried + "); pass --nvrtc PATH");
        detail::bind(lib, create, "nvrtcCreateProgram", "NVRTC");
        detail::bind(lib, compile, "nvrtcCompileProgram", "NVRTC");
        detail::bind(lib, destroy, "nvrtcDestroyProgram", "NVRTC");
        detail::bind(lib, log_size, "nvrtcGetProgramLogSize", "NVRTC");
        detail::bind(lib, log, "nvrtcGetProgramLog", "NVRTC");
        detail::bind(lib, cubin_size, "nvrtcGetCUBINSize", "NVRTC");
        detail::bind(lib, cubin, "nvrtcGetCUBIN", "NVRTC");
        detail::bind(lib, ptx_size, "nvrtcGetPTXSize", "NVRTC");
        detail::bind(lib, ptx, "nvrtcGetPTX", "NVRTC");
        detail::bind(lib, error_string, "nvrtcGetErrorString", "NVRTC");
    }
};

// The CUDA driver API (libcuda.so.1, installed with the GPU driver).
struct driver_api {
    CUresult (*init)(unsigned) = nullptr;
    CUresult (*device_count)(int*) = nullptr;
    CUresult (*device_get)(CUdevice*, int) = nullptr;
    CUresult (*device_name)(char*, int, CUdevice) = nullptr;
    CUresult (*device_attribute)(int*, int, CUdevice) = nullptr;
    CUresult (*primary_retain)(CUcontext*, CUdevice) = nullptr;
    CUresult (*ctx_set_current)(CUcontext) = nullptr;
    CUresult (*ctx_synchronize)() = nullptr;
    CUresult (*module_load_data)(CUmodule*, const void*) = nullptr;
    CUresult (*module_unload)(CUmodule) = nullptr;
    CUresult (*module_get_function)(CUfunction*, CUmodule, const char*) = nullptr;
    CUresult (*mem_alloc)(CUdeviceptr*, std::size_t) = nullptr;
    CUresult (*mem_free)(CUdeviceptr) = nullptr;
    CUresult (*memcpy_htod)(CUdeviceptr, const void*, std::size_t) = nullptr;
    CUresult (*memcpy_dtoh)(void*, CUdeviceptr, std::size_t) = nullptr;
    CUresult (*launch_kernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                              CUstream, void**, void**) = nullptr;
    CUresult (*error_name)(CUresult, const char**) = nullptr;

    // Throws api_error when there is no driver library (no GPU driver installed).
    driver_api() {
        void* lib = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!lib) throw api_error("no CUDA driver (libcuda.so.1 not found)");
        detail::bind(lib, init, "cuInit", "libcuda");
        detail::bind(lib, device_count, "cuDeviceGetCount", "libcuda");
        detail::bind(lib, device_get, "cuDeviceGet", "libcuda");
        detail::bind(lib, device_name, "cuDeviceGetName", "libcuda");
        detail::bind(lib, device_attribute, "cuDeviceGetAttribute", "libcuda");
        detail::bind(lib, primary_retain, "cuDevicePrimaryCtxRetain", "libcuda");
        detail::bind(lib, ctx_set_current, "cuCtxSetCurrent", "libcuda");
        detail::bind(lib, ctx_synchronize, "cuCtxSynchronize", "libcuda");
        detail::bind(lib, module_load_data, "cuModuleLoadData", "libcuda");
        detail::bind(lib, module_unload, "cuModuleUnload", "libcuda");
        detail::bind(lib, module_get_function, "cuModuleGetFunction", "libcuda");
        detail::bind(lib, mem_alloc, "cuMemAlloc_v2", "libcuda");
        detail::bind(lib, mem_free, "cuMemFree_v2", "libcuda");
        detail::bind(lib, memcpy_htod, "cuMemcpyHtoD_v2", "libcuda");
        detail::bind(lib, memcpy_dtoh, "cuMemcpyDtoH_v2", "libcuda");
        detail::bind(lib, launch_kernel, "cuLaunchKernel", "libcuda");
        detail::bind(lib, error_name, "cuGetErrorName", "libcuda");
    }

    // Throws api_error naming the call and the driver's error code.
    void check(CUresult rc, const char* what) const {
        if (rc == 0) return;
        const char* name = nullptr;
        error_name(rc, &name);
        throw api_error(std::string(what) + " failed: " + (name ? name : "CUDA error " + std::to_string(rc)));
    }
};

}  // namespace warpsynth::driver::cuda
