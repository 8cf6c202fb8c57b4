// warpsynth/native/image.hpp — the device image of a typed description.
//
// A native kernel runs the description itself, compiled by nvcc: `image<Node>` mirrors each DSL node type with
// what the device needs of it (runtime leaves: literal values, operators, a local's slot, an argument's value) and
// a `__device__` eval (expressions) or exec (statements). The structure stays in the types, so nvcc compiles each
// kernel's tree into straight-line device code; names are resolved on the host by a `binder`.
// Nodes without an image (`image<Node>::supported == false`) make the kernel unsupported natively; nothing is
// instantiated for it.
#pragma once

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "warpsynth/native/frame.hpp"

namespace warpsynth::native {

// What the host binds by name before a launch: each kernel argument (arrays: a device pointer and shape; values:
// their bytes, laid out as the runtime type) and the slots of the locals.
struct argument {
    std::string name;
    bool is_array = false;
    void* data = nullptr;
    int shape[4] = {0, 0, 0, 0};
    alignas(16) unsigned char bytes[slot_bytes] = {};
};

class binder {
  public:
    std::vector<argument> args;

    const argument& arg(std::string_view name) const {
        for (auto& a : args)
            if (a.name == name) return a;
        throw std::invalid_argument("warpsynth::native: no value bound for kernel argument `" + std::string(name) + "`");
    }
    // A local's slot: the same name is the same Python variable wherever it appears.
    int local_slot(std::string_view name) {
        for (std::size_t i = 0; i < locals_.size(); ++i)
            if (locals_[i] == name) return static_cast<int>(i);
        if (locals_.size() == static_cast<std::size_t>(max_locals))
            throw std::length_error("warpsynth::native: more than " + std::to_string(max_locals) + " locals");
        locals_.emplace_back(name);
        return static_cast<int>(locals_.size() - 1);
    }

  private:
    std::vector<std::string> locals_;
};

// `image<Node>` (host side) says whether a node has a device image, names its type and makes it from the node.
// The device types (namespace dev) are templates over runtime C++ types and other device types only, never over
// DSL node types: nvcc's host stubs cannot spell the DSL's string template arguments (`float_`'s "float").
template <class Node>
struct image {
    static constexpr bool supported = false;
    using type = void;
};

template <class Node>
inline constexpr bool supported = image<Node>::supported;
template <class Node>
using image_t = typename image<Node>::type;

template <class Node>
auto make_image(const Node& n, binder& b) {
    return image<Node>::make(n, b);
}

namespace dev {
// A device tuple of images, evaluated strictly left to right (a C++ argument list has no order).
template <class... T>
struct tup;
template <>
struct tup<> {
    // eval_then(f, k): k(values of every element...)
    template <class F, class K, class... V>
    __device__ auto eval_then(F&, K&& k, const V&... v) const {
        return k(v...);
    }
    template <class F>
    __device__ flow exec_all(F&) const {
        return flow::next;
    }
};
template <class H, class... T>
struct tup<H, T...> {
    H head;
    tup<T...> tail;
    template <class F, class K, class... V>
    __device__ auto eval_then(F& f, K&& k, const V&... v) const {
        auto h = head.eval(f);
        return tail.eval_then(f, k, v..., h);
    }
    template <class F>
    __device__ flow exec_all(F& f) const {
        flow r = head.exec(f);
        return r == flow::next ? tail.exec_all(f) : r;
    }
};
}  // namespace dev

// The images of nodes, in order.
inline dev::tup<> make_tup_of(binder&) { return {}; }
template <class H, class... T>
dev::tup<image_t<H>, image_t<T>...> make_tup_of(binder& b, const H& h, const T&... t) {
    dev::tup<image_t<H>, image_t<T>...> r;
    r.head = make_image(h, b);  // the head first: locals get their slots in source order
    r.tail = make_tup_of(b, t...);
    return r;
}
template <class... N>
dev::tup<image_t<N>...> make_tup(const std::tuple<N...>& nodes, binder& b) {
    return std::apply([&](const N&... n) { return make_tup_of(b, n...); }, nodes);
}

}  // namespace warpsynth::native
