// warpsynth/warpsynth.hpp — the one header users include.
//
// A kernel is a typed, compile-time description (kernel.hpp); from it warpsynth renders the canonical Warp Python
// module and, byte for byte, the CPU/CUDA forward/backward functions Warp v1.16.0 generates for it.
#pragma once

#include "warpsynth/version.hpp"
#include "warpsynth/types/wtype.hpp"
#include "warpsynth/types/tags.hpp"
#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/expr/expression.hpp"
#include "warpsynth/expr/operators.hpp"
#include "warpsynth/expr/variables.hpp"
#include "warpsynth/expr/access.hpp"
#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/builtins/functions.hpp"
#include "warpsynth/stmt/statements.hpp"
#include "warpsynth/kernel.hpp"
#include "warpsynth/render/python.hpp"
#include "warpsynth/hash/kernel_hash.hpp"
#include "warpsynth/ir/adjoint.hpp"
#include "warpsynth/ir/emit.hpp"
#include "warpsynth/render/warp_ir.hpp"
