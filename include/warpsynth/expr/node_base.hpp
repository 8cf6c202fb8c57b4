// warpsynth/expr/node_base.hpp — members every expression node shares: subscripts and vector components.
//
// C++ has no `a[i, j]` before C++23, so multi-index subscripts are written `a(i, j)`; `a[i][j]` is a nested
// subscript exactly as in Python. `v.x` is written `v.x()`.
#pragma once

#include <utility>

#include "warpsynth/types/wtype.hpp"

namespace warpsynth {

template <class Target, class... Index>
struct subscript;
template <class Target, wtype Result>
struct attribute;

template <class Derived>
struct node_base {
    bool parens = false;

    template <class I>
    auto operator[](const I& i) const;
    template <class... I>
    auto operator()(const I&... i) const;

    auto x() const;
    auto y() const;
    auto z() const;
    auto w() const;
    auto p() const;  // transform translation
    auto q() const;  // transform rotation

  private:
    const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace warpsynth
