// warpsynth/native/runtime.hpp — the `wp::` runtime (include/warpsynth/runtime/) in native kernels, as `rt::`.
//
// A translation unit that writes kernels with `using namespace warpsynth;` names the DSL's builtins `wp::sin`, so
// the runtime's own namespace must not also be `::wp` there: native kernels compile it as ::warpsynth_runtime.
#pragma once

#ifndef WP_NAMESPACE
#define WP_NAMESPACE warpsynth_runtime
#endif
#include "warpsynth/runtime/builtin.h"

namespace warpsynth::native {
namespace rt = ::WP_NAMESPACE;
}  // namespace warpsynth::native
