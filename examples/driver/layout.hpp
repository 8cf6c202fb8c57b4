// examples/driver/layout.hpp — what a run produces: options, the file layout, shards and the run manifest.
//
// Records. Record k (0 <= k < count) of a run with seed s over categories C is category C[k % |C|], built by
// C[k % |C|].make(s, k); its bytes depend on (s, k, C, devices) only — not on --threads, --shard or a resume.
//
// Files. The dataset is cut into files of R = --records-per-file records: file f holds records [f*R, (f+1)*R)
// (the last one fewer) and is named data-<f>.jsonl (data-<f>.jsonl.zst with --compress zstd; a directory data-<f>/
// of <seed>-<index>.json files with --format seed-json), f zero-padded to max(5, digits of the last file number)
// so names sort in index order.
//
// Shards. --shard K/N (0 <= K < N) takes the contiguous range of files [floor(K*F/N), floor((K+1)*F/N)), F the
// number of files: each shard writes whole files, under the same names and with the same bytes as a single run
// would. So the N shard directories together hold exactly the single run's data files; copying them into one
// directory gives the single run's dataset, and concatenating them in name order gives its bytes. (A shard whose
// range is empty — more shards than files — writes no data file; use a smaller --records-per-file to spread small
// runs over many machines.)
//
// Manifest. DIR/.warpsynth.json records the parameters that determine the bytes (everything above plus the
// format and compression); --resume continues only a run with the same parameters.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warpsynth/categories/category.hpp>

#include "catalog.hpp"

#include "common.hpp"
#include "io.hpp"

namespace warpsynth::driver {

enum class output_format : std::uint8_t { jsonl, seed_json };

struct gen_options {
    std::uint64_t count = 0, seed = 0, records_per_file = 10000;
    std::vector<const categories::category*> cats;
    devices dev = devices::both;
    output_format format = output_format::jsonl;
    compression comp = compression::none;
    int zstd_level = 3;
    std::uint64_t shard_k = 0, shard_n = 1;
    unsigned threads = 1;
    int progress = -1;  // -1: when stderr is a terminal
    bool force = false, resume = false;
    bool discard = false;  // benchmarks: render, serialize and count, but write no data file
    std::string out;
};

class layout {
  public:
    explicit layout(const gen_options& o) : o_(o) {
        files_ = (o.count + o.records_per_file - 1) / o.records_per_file;
        auto bound = [&](std::uint64_t k) {
            return static_cast<std::uint64_t>(static_cast<unsigned __int128>(k) * files_ / o.shard_n);
        };
        first_ = bound(o.shard_k);
        end_ = bound(o.shard_k + 1);
        width_ = std::max<std::size_t>(5, std::to_string(files_ ? files_ - 1 : 0).size());
    }
    std::uint64_t files() const { return files_; }
    std::uint64_t first_file() const { return first_; }  // this shard's files: [first_file, end_file)
    std::uint64_t end_file() const { return end_; }
    std::uint64_t file_begin(std::uint64_t f) const { return f * o_.records_per_file; }
    std::uint64_t file_end(std::uint64_t f) const { return std::min(o_.count, (f + 1) * o_.records_per_file); }
    std::uint64_t shard_begin() const { return file_begin(first_); }
    std::uint64_t shard_end() const { return first_ == end_ ? shard_begin() : file_end(end_ - 1); }

    std::string stem(std::uint64_t f) const {
        std::string n = std::to_string(f);
        return "data-" + std::string(width_ > n.size() ? width_ - n.size() : 0, '0') + n;
    }
    std::string extension() const {
        if (o_.format == output_format::seed_json) return "";
        return o_.comp == compression::zstd ? ".jsonl.zst" : ".jsonl";
    }
    std::string name(std::uint64_t f) const { return stem(f) + extension(); }
    std::string tmp_name(std::uint64_t f) const { return "." + name(f) + ".tmp"; }
    // The Hugging Face data_files pattern of the whole dataset.
    std::string data_files_glob() const {
        return o_.format == output_format::seed_json ? "data-*/*.json" : "data-*" + extension();
    }

  private:
    const gen_options& o_;
    std::uint64_t files_ = 0, first_ = 0, end_ = 0;
    std::size_t width_ = 5;
};

inline std::string category_list(const gen_options& o) {
    std::string s;
    for (auto* c : o.cats) {
        if (!s.empty()) s += ',';
        s += c->name;
    }
    return s;
}

// The manifest: one JSON object, keys in a fixed order.
inline std::string manifest_json(const gen_options& o) {
    std::string m = "{\"generator\": ";
    append_json_string(m, generator_string);
    m += ", \"warp_version\": ";
    append_json_string(m, warp_version);
    m += ", \"seed\": ";
    append_uint(m, o.seed);
    m += ", \"count\": ";
    append_uint(m, o.count);
    m += ", \"categories\": [";
    for (std::size_t i = 0; i < o.cats.size(); ++i) {
        if (i) m += ", ";
        append_json_string(m, o.cats[i]->name);
    }
    m += "], \"device\": ";
    append_json_string(m, device_name(o.dev));
    m += ", \"format\": ";
    append_json_string(m, o.format == output_format::jsonl ? "jsonl" : "seed-json");
    m += ", \"compression\": ";
    append_json_string(m, o.comp == compression::zstd ? "zstd:" + std::to_string(o.zstd_level) : "none");
    m += ", \"records_per_file\": ";
    append_uint(m, o.records_per_file);
    m += ", \"shard\": \"";
    append_uint(m, o.shard_k);
    m += '/';
    append_uint(m, o.shard_n);
    m += "\"}\n";
    return m;
}

inline constexpr std::string_view manifest_name = ".warpsynth.json";

}  // namespace warpsynth::driver
