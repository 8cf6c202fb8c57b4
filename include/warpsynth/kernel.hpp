// warpsynth/kernel.hpp — a kernel: its name, decorator options, typed arguments and body.
//
//   auto k = kernel("saxpy", arg<float_>("alpha"), arg<array<float_>>("x"), arg<array<float_>>("y"))(
//       [](auto alpha, auto x, auto y) {
//           local<int_> i("i");
//           return body(i = tid(), y[i] = alpha * x[i] + y[i]);
//       });
//
// The body lambda receives one typed reference per argument; its return type is the whole typed description.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "warpsynth/stmt/statements.hpp"
#include "warpsynth/syntax/tree.hpp"

namespace warpsynth {

// Options of `@wp.kernel(...)` that change the generated text. They enter the kernel hash as `key:str(value)`.
// Written with designated initializers (`kernel_options{.enable_backward = false}`); the default member
// initializers keep g++ -Wextra from warning about the members left out.
struct kernel_options {
    std::optional<bool> enable_backward = {};
    std::optional<int> launch_bounds = {};
    std::optional<int> cluster_dim = {};
    std::optional<bool> grid_stride = {};
};

// A type's Python spelling, formatted once per program (it is a constant of the type).
template <class T>
const std::string& python_spelling() {
    static const std::string s = T::python();
    return s;
}

template <class Body, class... A>
struct kernel_def {
    std::string name;  // owned: generated names are often temporaries
    kernel_options options;
    std::tuple<arg_decl<A>...> args;
    Body body;

    // Lower the description into a Python-shaped syntax tree (cleared first).
    void lower(syntax::tree& t) const {
        auto arg_storage = std::move(t.args);  // reused below: the strings keep their capacity
        t.clear();
        t.args = std::move(arg_storage);
        t.args.resize(sizeof...(A));
        t.name = name;
        std::size_t i = 0;
        std::apply(
            [&](const arg_decl<A>&... a) {
                ((t.args[i].name.assign(a.name), t.args[i].python.assign(python_spelling<A>()),
                  t.args[i].type = A::value, ++i),
                 ...);
            },
            args);
        body.lower(t, t.body);
        auto py_bool = [](bool b) { return std::string(b ? "True" : "False"); };
        // Decorator text in Python's keyword order; hash options are sorted by the hasher.
        std::string deco;
        auto add = [&](std::string_view key, std::string value) {
            if (!deco.empty()) deco += ", ";
            deco += key;
            deco += "=";
            deco += value;
            t.options.emplace_back(std::string(key), std::move(value));
        };
        if (options.enable_backward) add("enable_backward", py_bool(*options.enable_backward));
        if (options.launch_bounds) add("launch_bounds", std::to_string(*options.launch_bounds));
        if (options.cluster_dim) add("cluster_dim", std::to_string(*options.cluster_dim));
        if (options.grid_stride) add("grid_stride", py_bool(*options.grid_stride));
        t.decorator = deco.empty() ? "@wp.kernel" : "@wp.kernel(" + deco + ")";
    }
};

template <class... A>
struct kernel_signature {
    std::string name;
    kernel_options options;
    std::tuple<arg_decl<A>...> args;

    template <class F>
    auto operator()(F&& make_body) const {
        auto b = std::apply([&](const arg_decl<A>&... a) { return make_body(arg_ref<A>(a.name)...); }, args);
        using Body = decltype(b);
        static_assert(statement<Body>, "warpsynth: the kernel body lambda must return body(...)");
        return kernel_def<Body, A...>{name, options, args, std::move(b)};
        // Argument and local names are views: keep the strings they view alive until lower() has run.
    }
};

template <class... A>
kernel_signature<A...> kernel(std::string_view name, arg_decl<A>... args) {
    return {std::string(name), {}, {args...}};
}
template <class... A>
kernel_signature<A...> kernel(std::string_view name, kernel_options options, arg_decl<A>... args) {
    return {std::string(name), options, {args...}};
}

}  // namespace warpsynth
