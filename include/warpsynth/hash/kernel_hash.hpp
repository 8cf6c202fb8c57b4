// warpsynth/hash/kernel_hash.hpp — Warp's kernel hash, whose first 8 hex digits suffix every generated name.
//
// SHA-256 over: the key; `opt:value` for each decorator option in sorted order; and the adjoint hash, itself a
// SHA-256 over the function source (decorator included), `name:typecode` per argument, and the type codes of the
// value types the body *calls* (`float(x)` adds `f4`, `wp.vec3(...)` adds `v3f4`), unique, in the breadth-first
// order of Python's `ast.walk`. Builtins are not hashed.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/hash/sha256.hpp"
#include "warpsynth/render/python.hpp"
#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/util/pod_vector.hpp"

namespace warpsynth {

namespace hash_detail {

// A called value type, identified as Python identifies the type object: `float` and `wp.float32` differ,
// `wp.vec3` and `wp.vec3f` are one class.
struct called_type {
    bool python_builtin;
    wtype type;
    bool operator==(const called_type&) const = default;
};

inline bool is_constructor(builtins::fn f) {
    using builtins::fn;
    return f == fn::construct_scalar || f == fn::construct_vector || f == fn::construct_matrix ||
           f == fn::construct_quat || f == fn::construct_transform;
}

inline called_type called_of(const syntax::tree& t, const syntax::node& call) {
    auto py = t.text_of(call);
    return {py == "float" || py == "int" || py == "bool", call.type};
}

// The called value types, into `found`: breadth-first over the body in Python AST field order; a multi-index
// subscript's Tuple slice is one level. (The definition; `called_types` below is the fast path.)
inline void called_types_bfs(const syntax::tree& t, std::vector<called_type>& found) {
    found.clear();
    // An entry is a node id, with the top bit marking "the Tuple slice of this subscript": one 4-byte value, so
    // reading an entry soon after pushing it forwards from the store (a two-field entry was stored in two pieces and
    // reloaded whole, a store-forwarding stall per node).
    constexpr std::uint32_t tuple_slice = 0x80000000u;
    // A FIFO as a list read from the front (entries are only appended); per thread, so it keeps its capacity.
    // A node's children are contiguous in the tree, so they are queued as one block.
    thread_local pod_vector<std::uint32_t> queue;
    queue.assign(t.body.begin(), t.body.end());
    const syntax::node_id* kids = t.kids.data();
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::uint32_t e = queue[head];
        const syntax::node_id id = e & ~tuple_slice;
        const auto& n = t[id];
        if (e & tuple_slice) {
            queue.append(kids + n.first + 1, kids + n.first + n.count);
            continue;
        }
        if (n.kind == syntax::node_kind::call && is_constructor(static_cast<builtins::fn>(n.builtin))) {
            auto c = called_of(t, n);
            if (std::find(found.begin(), found.end(), c) == found.end()) found.push_back(c);
        }
        if (n.kind == syntax::node_kind::subscript && n.count > 2) {
            queue.push_back(t.child(n, 0));
            queue.push_back(id | tuple_slice);
            continue;
        }
        queue.append(kids + n.first, kids + n.first + n.count);
    }
}

// The same list, usually without the walk: only the order needs it, and it is moot while no two different types
// are constructed. Every node of a lowered tree is reachable from its body (a node is appended only as part of its
// parent), so one pass over the nodes finds the constructors the walk would; the tests compare both functions.
inline void called_types(const syntax::tree& t, std::vector<called_type>& found) {
    found.clear();
    for (const auto& n : t.nodes) {
        if (n.kind != syntax::node_kind::call || !is_constructor(static_cast<builtins::fn>(n.builtin))) continue;
        auto c = called_of(t, n);
        if (found.empty()) found.push_back(c);
        else if (!(found[0] == c)) return called_types_bfs(t, found);
    }
}

}  // namespace hash_detail

// The kernel hash digest; `source` is the function's source text from the decorator line on.
inline sha256::digest kernel_hash(const syntax::tree& t, std::string_view source) {
    sha256 adj;
    adj.update(source);
    std::string s;
    for (auto& a : t.args) {
        s.assign(a.name);
        s += ':';
        append_type_code(s, a.type);
        adj.update(s);
    }
    thread_local std::vector<hash_detail::called_type> called;  // reused between kernels
    hash_detail::called_types(t, called);
    for (auto& c : called) {
        s.clear();
        append_type_code(s, c.type);
        adj.update(s);
    }
    sha256 h;
    h.update(t.name);
    // The options in sorted order, sorted as pointers (SHA-256 is streamed: `k`, `:`, `v` hash as `k:v`).
    thread_local std::vector<const std::pair<std::string, std::string>*> options;
    options.clear();
    for (auto& o : t.options) options.push_back(&o);
    std::sort(options.begin(), options.end(), [](auto* a, auto* b) { return *a < *b; });
    for (auto* o : options) h.update(o->first).update(":").update(o->second);
    h.update(adj.finish());
    return h.finish();
}

// `<key>_<first 8 hex digits of the kernel hash>`, written into `out` (whose capacity a caller may reuse).
inline void mangled_name(const syntax::tree& t, std::string_view source, std::string& out) {
    auto d = kernel_hash(t, source);
    out.assign(t.name);
    out += '_';
    append_hex(out, d.data(), 4);
}
inline std::string mangled_name(const syntax::tree& t, std::string_view source) {
    std::string m;
    mangled_name(t, source, m);
    return m;
}

}  // namespace warpsynth
