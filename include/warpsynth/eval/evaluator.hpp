// warpsynth/eval/evaluator.hpp — the reference evaluator: a typed kernel description's meaning, computed on the
// host from its syntax tree (not from any rendered text), with Warp v1.16's semantics.
//
//   eval/numeric.hpp    number types: float32/float64 IEEE, float16 emulated (round to binary16 after every
//                       operation, as Warp's CPU half does), C integers, forward-mode duals
//   eval/value.hpp      host values (scalars, vectors, matrices, quaternions, transforms), casts
//   eval/ops.hpp        every operator and builtin, and its local Jacobian (mathematical or Warp's adjoint)
//   eval/machine.hpp    the interpreter: forward launch + mathematical gradient (forward-mode, sparse), and an
//                       emulation of Warp's generated backward (replay/reverse structure, dynamic-loop and
//                       store/atomic adjoint conventions)
//   eval/reference.hpp  inputs from a documented distribution, loss weights, both gradients for one launch
//   eval/tolerance.hpp  how closely an executed kernel must match the reference, per float type
//
// Used by tests/eval (unit tests, the eval_reference helper) and tools/execute_check.py, which runs the rendered
// CPU IR on the same inputs and compares.
#pragma once

#include "warpsynth/eval/numeric.hpp"
#include "warpsynth/eval/value.hpp"
#include "warpsynth/eval/ops.hpp"
#include "warpsynth/eval/machine.hpp"
#include "warpsynth/eval/reference.hpp"
#include "warpsynth/eval/tolerance.hpp"
