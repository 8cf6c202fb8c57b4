// examples/write_jsonl.cpp — a custom dataset writer: several kernels, one JSON record per line.
#include <cstdio>
#include <string>

#include <warpsynth/util/json.hpp>
#include <warpsynth/warpsynth.hpp>

using namespace warpsynth;

template <class K>
void write_record(std::string& out, const K& k) {
    auto r = render(k);
    out += "{\"kernel_name\": ";
    json::append_string(out, r.mangled_name);
    out += ", \"python_source\": ";
    json::append_string(out, r.python_source);
    out += ", \"cuda_forward\": ";
    json::append_string(out, r.cuda_forward);
    out += "}\n";
}

int main() {
    std::string out;
    for (int n : {2, 3, 4}) {  // a kernel per unroll length: range(n) with a constant n is unrolled by Warp
        std::string name = "poly" + std::to_string(n);
        auto k = kernel(name, arg<array<float_>>("x"), arg<array<float_>>("y"))(
            [n](auto x, auto y) {
                local<int_> i("i"), k("k");
                local<float_> acc("acc");
                return body(i = tid(), acc = py::float_(0.0), for_(k, range(n))(acc = acc * x[i] + 1.0), y[i] = acc);
            });
        write_record(out, k);
    }
    std::fputs(out.c_str(), stdout);
}
