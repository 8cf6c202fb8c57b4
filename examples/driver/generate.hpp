// examples/driver/generate.hpp — `warpsynth generate`: render records on a thread pool, write them in index order.
//
// Work is cut into units: consecutive blocks of at most `block_records` records that never cross a file boundary.
// Each worker takes the next unit number from an atomic counter, renders the unit's records into its own buffer
// and hands it to a slot of a ring of `window` slots; the writer (the calling thread) takes the units in order and
// appends them to the current file. A worker may run at most `window` units ahead of the writer, which bounds
// memory. The bytes of a unit depend only on its record indices, so the output is the same for any --threads.
//
// Files are written as DIR/.<name>.tmp, fsync'ed and renamed to DIR/<name> when complete. A killed run leaves
// only complete files and at most one temporary file: --resume deletes temporaries, keeps the complete files of
// the shard (checked: the right number of records, each ending in a newline) and writes the rest — no torn, lost
// or duplicated record. stats.json and README.md are written last (also via rename).
//
// Test hook: WARPSYNTH_TEST_KILL_AFTER=M makes the writer write M records of this run, then half of the next
// record, and SIGKILL itself — a crash in the middle of a record.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "card.hpp"
#include "io.hpp"
#include "layout.hpp"
#include "record.hpp"
#include "stats.hpp"

namespace warpsynth::driver {

// ---------------------------------------------------------------------------------------------------------------
// Output directory checks. Everything that can be decided before writing is decided here (usage_error, exit 2).

namespace gen_detail {

inline std::vector<std::string> list_dir(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return names;
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(std::move(n));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

// Files and directories a warpsynth run creates (and --force replaces).
inline bool is_ours(std::string_view n) {
    if (n == manifest_name || n == "stats.json" || n == "README.md") return true;
    if (n.starts_with("data-")) return true;
    if (n.starts_with(".") && n.ends_with(".tmp") &&
        (n.starts_with(".data-") || n == ".stats.json.tmp" || n == ".README.md.tmp" || n == ".warpsynth.json.tmp"))
        return true;
    return false;
}

inline bool is_dir(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
inline bool exists(const std::string& p) {
    struct stat st;
    return ::lstat(p.c_str(), &st) == 0;
}

inline void remove_all(const std::string& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
    if (ec) throw io_error("cannot remove " + p + ": " + ec.message(), ec.value());
}

// Count the records of a finished file: '\n'-terminated lines (JSONL, plain or zstd), or *.json entries (seed-json).
// Returns nullopt when the file cannot be read as complete (missing final newline, corrupt stream).
inline std::optional<std::uint64_t> count_records(const std::string& path, output_format fmt) {
    try {
        if (fmt == output_format::seed_json) {
            if (!is_dir(path)) return std::nullopt;
            std::uint64_t n = 0;
            for (auto& e : list_dir(path))
                if (e.ends_with(".json")) ++n;
            return n;
        }
        line_reader r(path);
        std::string_view line;
        bool nl = true;
        std::uint64_t n = 0;
        while (r.next(line, nl)) {
            if (!nl) return std::nullopt;
            ++n;
        }
        return n;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace gen_detail

enum class dir_state { fresh, resume };

// Check (and for a fresh run create) the output directory. Throws usage_error before anything is written.
inline dir_state prepare_output(const gen_options& o) {
    const std::string& dir = o.out;
    if (dir.empty()) throw usage_error("the output directory (-o) must not be empty");
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) throw usage_error("output path " + dir + " exists and is not a directory");
        if (::access(dir.c_str(), W_OK | X_OK) != 0)
            throw usage_error("output directory " + dir + " is not writable: " + describe_errno(errno));
        auto entries = gen_detail::list_dir(dir);
        if (entries.empty()) return dir_state::fresh;
        if (o.resume) {
            std::string mpath = dir + "/" + std::string(manifest_name);
            if (!gen_detail::exists(mpath)) {
                // Killed before the manifest was in place: only our temporaries can be there; start afresh.
                bool only_tmp = std::all_of(entries.begin(), entries.end(), [](auto& n) {
                    return n.starts_with(".") && n.ends_with(".tmp") && gen_detail::is_ours(n);
                });
                if (only_tmp) return dir_state::fresh;
                throw usage_error("cannot --resume: " + dir + " is not empty and has no " + std::string(manifest_name) +
                                  " (not a warpsynth output directory)");
            }
            std::string have;
            try {
                have = read_file(mpath);
            } catch (const io_error& e) {
                throw usage_error(std::string("cannot --resume: ") + e.what());
            }
            std::string want = manifest_json(o);
            if (have != want) {
                // Name the parameters that differ.
                json::parse_error perr;
                auto h = json::parser(have).parse(perr);
                auto w = json::parser(want).parse(perr);
                std::string diff;
                if (h && w && h->type == json::value::kind::object)
                    for (auto& [k, v] : w->members) {
                        auto* hv = h->find(k);
                        auto show = [](const json::value* x) -> std::string {
                            if (!x) return "(none)";
                            if (x->type == json::value::kind::string) return x->str;
                            if (x->type == json::value::kind::number) return std::to_string(static_cast<std::uint64_t>(x->num));
                            if (x->type == json::value::kind::array) {
                                std::string s;
                                for (auto& i : x->items) s += (s.empty() ? "" : ",") + i.str;
                                return s;
                            }
                            return "?";
                        };
                        if (show(hv) != show(&v)) diff += (diff.empty() ? "" : ", ") + k + " " + show(hv) + " -> " + show(&v);
                    }
                throw usage_error("cannot --resume " + dir + ": it was generated with different parameters (" +
                                  (diff.empty() ? std::string("manifest differs") : diff) + ")");
            }
            return dir_state::resume;
        }
        if (o.force) {
            for (auto& n : entries)
                if (gen_detail::is_ours(n)) {
                    try {
                        gen_detail::remove_all(dir + "/" + n);
                    } catch (const io_error& e) {
                        throw usage_error(std::string("--force: ") + e.what());
                    }
                }
            return dir_state::fresh;
        }
        throw usage_error("output directory " + dir + " is not empty (use --force to replace a previous dataset, " +
                          "--resume to continue one)");
    }
    if (errno == ENOTDIR) throw usage_error("cannot create " + dir + ": a component of the path is not a directory");
    if (errno != ENOENT) throw usage_error("cannot use output directory " + dir + ": " + describe_errno(errno));
    // It will be created: its closest existing ancestor must be a writable directory.
    fs::path p = fs::absolute(fs::path(dir)).lexically_normal();
    if (!p.has_filename()) p = p.parent_path();
    for (fs::path parent = p.parent_path();; parent = parent.parent_path()) {
        std::string ps = parent.string();
        if (::stat(ps.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) throw usage_error("cannot create " + dir + ": " + ps + " is not a directory");
            if (::access(ps.c_str(), W_OK | X_OK) != 0)
                throw usage_error("cannot create " + dir + ": " + ps + " is not writable");
            break;
        }
        if (errno != ENOENT) throw usage_error("cannot create " + dir + ": " + ps + ": " + describe_errno(errno));
        if (parent == parent.root_path() || !parent.has_relative_path()) break;
    }
    return dir_state::fresh;
}

// ---------------------------------------------------------------------------------------------------------------

struct gen_result {
    std::uint64_t written_records = 0, written_files = 0, kept_files = 0, bytes = 0;
    std::uint64_t file_bytes = 0;  // on disk (compressed size with --compress zstd)
    double seconds = 0;
    dataset_stats stats;
};

class generator {
  public:
    static constexpr std::uint64_t block_records = 64;  // ~1 MB of JSONL: stays near the worker's caches

    explicit generator(const gen_options& o) : o_(o), l_(o) {}

    // Run after prepare_output. Throws io_error (exit 1) on a write failure.
    gen_result run(dir_state state) {
        auto t0 = std::chrono::steady_clock::now();
        const std::string& dir = o_.out;
        bool created = false;
        if (state == dir_state::fresh) {
            if (!gen_detail::is_dir(dir)) {
                std::error_code ec;
                fs::create_directories(dir, ec);
                if (ec) throw usage_error("cannot create output directory " + dir + ": " + ec.message());
                created = true;
            }
            try {  // the manifest is also the probe that the directory is writable
                write_file_atomic_hidden(dir, manifest_json(o_));
            } catch (const io_error& e) {
                if (created) {
                    std::error_code ec;
                    fs::remove_all(dir, ec);
                }
                if (e.err == ENOSPC || e.err == EDQUOT) throw;
                throw usage_error(std::string("output directory is not writable: ") + e.what());
            }
        }
        // Leftovers of a killed run; complete files of this shard are kept.
        for (auto& n : gen_detail::list_dir(dir))
            if (n.starts_with(".") && n.ends_with(".tmp") && gen_detail::is_ours(n)) gen_detail::remove_all(dir + "/" + n);
        std::uint64_t nfiles = l_.end_file() - l_.first_file();
        done_.assign(nfiles, false);
        if (state == dir_state::resume) {
            for (std::uint64_t i = 0; i < nfiles; ++i) {
                std::uint64_t f = l_.first_file() + i;
                std::string path = dir + "/" + l_.name(f);
                if (!gen_detail::exists(path)) continue;
                auto n = gen_detail::count_records(path, o_.format);
                if (n && *n == l_.file_end(f) - l_.file_begin(f)) {
                    done_[i] = true;
                    ++result_.kept_files;
                } else {
                    std::fprintf(stderr, "warpsynth: %s is incomplete; writing it again\n", path.c_str());
                    gen_detail::remove_all(path);
                }
            }
        }
        pipeline();
        // Stats and card describe every record of the shard (kept files included: their records were re-rendered
        // for the statistics, not re-written).
        write_file_atomic(dir, "stats.json", result_.stats.to_json());
        write_file_atomic(dir, "README.md", dataset_card(o_, l_, result_.stats));
        fsync_dir(dir);
        result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return std::move(result_);
    }

    const layout& files() const { return l_; }

  private:
    const gen_options& o_;
    layout l_;
    std::vector<bool> done_;
    gen_result result_;

    static void write_file_atomic_hidden(const std::string& dir, const std::string& content) {
        // .warpsynth.json via .warpsynth.json.tmp
        std::string tmp = dir + "/" + std::string(manifest_name) + ".tmp", dst = dir + "/" + std::string(manifest_name);
        output_file f;
        f.open(tmp);
        f.write(content);
        f.finish();
        rename_file(tmp, dst);
        fsync_dir(dir);
    }

    // Unit u -> (file, record range). Every file but the dataset's last has units_per_file units.
    struct unit {
        std::uint64_t file, begin, end;
        bool opens, closes, write;
    };
    std::uint64_t units_per_file() const { return (o_.records_per_file + block_records - 1) / block_records; }
    std::uint64_t unit_count() const {
        std::uint64_t nfiles = l_.end_file() - l_.first_file();
        if (!nfiles) return 0;
        std::uint64_t last = l_.end_file() - 1;
        std::uint64_t last_units = (l_.file_end(last) - l_.file_begin(last) + block_records - 1) / block_records;
        return (nfiles - 1) * units_per_file() + last_units;
    }
    unit unit_at(std::uint64_t u) const {
        std::uint64_t upf = units_per_file();
        std::uint64_t f = l_.first_file() + u / upf, b = u % upf;
        std::uint64_t fb = l_.file_begin(f), fe = l_.file_end(f);
        unit x;
        x.file = f;
        x.begin = fb + b * block_records;
        x.end = std::min(fe, x.begin + block_records);
        x.opens = b == 0;
        x.closes = x.end == fe;
        x.write = !done_[f - l_.first_file()];
        return x;
    }

    struct unit_out {
        byte_buffer buf;
        std::vector<std::size_t> ends;  // end offset of each record in buf
    };

    void render_unit(const unit& x, record_builder& b, dataset_stats& st, unit_out& out) const {
        out.buf.clear();
        out.ends.clear();
        std::size_t ncat = o_.cats.size();
        for (std::uint64_t k = x.begin; k < x.end; ++k) {
            b.build(*o_.cats[k % ncat], o_.seed, k, o_.dev);
            std::size_t before = out.buf.size();
            if (o_.format == output_format::jsonl) append_jsonl(out.buf, b.fields());
            else append_seed_json(out.buf, b.fields());
            out.ends.push_back(out.buf.size());
            st.add(b.fields(), out.buf.size() - before);
        }
    }

    void pipeline() {
        std::uint64_t n = unit_count();
        unsigned threads = std::max(1u, o_.threads);
        std::size_t window = 2 * static_cast<std::size_t>(threads) + 2;  // units in flight: memory ~ window * unit size
        std::vector<unit_out> slots(window);
        std::vector<char> ready(window, 0);
        struct alignas(128) padded_stats {  // one per worker, apart in memory (no false sharing)
            dataset_stats s;
        };
        std::vector<padded_stats> thread_stats(threads);
        std::mutex m;
        std::condition_variable cv_ready, cv_space;
        std::atomic<std::uint64_t> next{0};
        std::uint64_t consumed = 0;
        bool stop = false;
        std::exception_ptr worker_error;

        auto worker = [&](unsigned t) {
            try {
                record_builder b;
                unit_out local;
                while (true) {
                    std::uint64_t u = next.fetch_add(1);
                    if (u >= n) return;
                    {
                        std::unique_lock lk(m);
                        cv_space.wait(lk, [&] { return stop || u < consumed + window; });
                        if (stop) return;
                    }
                    render_unit(unit_at(u), b, thread_stats[t].s, local);
                    {
                        std::lock_guard lk(m);
                        std::swap(slots[u % window], local);
                        ready[u % window] = 1;
                    }
                    cv_ready.notify_all();
                }
            } catch (...) {
                std::lock_guard lk(m);
                if (!worker_error) worker_error = std::current_exception();
                stop = true;
                cv_ready.notify_all();
                cv_space.notify_all();
            }
        };
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker, t);
        auto halt = [&] {
            {
                std::lock_guard lk(m);
                stop = true;
            }
            cv_space.notify_all();
            for (auto& th : pool) th.join();
            pool.clear();
        };

        progress_meter meter(o_, l_, done_);
        output_file file;
        std::string tmp_dir;  // seed-json: the directory being filled
        unit_out cur;
        std::uint64_t kill_after = UINT64_MAX;
        if (const char* v = std::getenv("WARPSYNTH_TEST_KILL_AFTER"); v && *v) kill_after = std::strtoull(v, nullptr, 10);
        try {
            for (std::uint64_t u = 0; u < n; ++u) {
                {
                    std::unique_lock lk(m);
                    while (!ready[u % window] && !worker_error) {
                        if (cv_ready.wait_for(lk, std::chrono::milliseconds(200)) == std::cv_status::timeout) {
                            lk.unlock();
                            meter.tick(result_.written_records, false);
                            lk.lock();
                        }
                    }
                    if (worker_error) break;
                    std::swap(cur, slots[u % window]);
                    ready[u % window] = 0;
                    consumed = u + 1;
                }
                cv_space.notify_all();
                unit x = unit_at(u);
                if (x.write && !o_.discard) write_unit(x, cur, file, tmp_dir, kill_after);
                meter.tick(result_.written_records, false);
            }
        } catch (...) {
            halt();
            meter.finish();
            file.abandon();  // no partial file stays behind (a seed-json directory being filled goes too)
            if (!tmp_dir.empty()) {
                std::error_code ec;
                fs::remove_all(tmp_dir, ec);
            }
            throw;
        }
        halt();
        meter.tick(result_.written_records, true);
        meter.finish();
        if (worker_error) std::rethrow_exception(worker_error);
        for (auto& s : thread_stats) result_.stats.merge(std::move(s.s));
    }

    void write_unit(const unit& x, const unit_out& cur, output_file& file, std::string& tmp_dir,
                    std::uint64_t kill_after) {
        const std::string& dir = o_.out;
        std::uint64_t records = x.end - x.begin;
        if (o_.format == output_format::jsonl) {
            if (x.opens) file.open(dir + "/" + l_.tmp_name(x.file), o_.comp, o_.zstd_level);
            if (result_.written_records + records > kill_after) {  // test hook: die mid-record
                std::uint64_t r = kill_after - result_.written_records;
                std::size_t cut = (r ? cur.ends[r - 1] : 0) + (cur.ends[r] - (r ? cur.ends[r - 1] : 0)) / 2;
                file.write(cur.buf.view().substr(0, cut));
                std::raise(SIGKILL);
            }
            file.write(cur.buf);
            result_.bytes += cur.buf.size();
            result_.written_records += records;
            if (x.closes) {
                file.finish();
                struct stat st;
                if (::stat((dir + "/" + l_.tmp_name(x.file)).c_str(), &st) == 0)
                    result_.file_bytes += static_cast<std::uint64_t>(st.st_size);
                rename_file(dir + "/" + l_.tmp_name(x.file), dir + "/" + l_.name(x.file));
                fsync_dir(dir);
                ++result_.written_files;
            }
            return;
        }
        // seed-json: DIR/.data-NNNNN.tmp/<seed>-<index>.json, the directory renamed when complete.
        if (x.opens) {
            tmp_dir = dir + "/" + l_.tmp_name(x.file);
            if (::mkdir(tmp_dir.c_str(), 0755) != 0) throw_io("cannot create", tmp_dir, errno);
        }
        std::size_t at = 0;
        for (std::uint64_t i = 0; i < records; ++i) {
            std::string name;
            append_id(name, o_.seed, x.begin + i);
            std::string path = tmp_dir + "/" + name + ".json";
            std::string_view rec(cur.buf.data() + at, cur.ends[i] - at);
            if (result_.written_records >= kill_after) {
                file.open(path);
                file.write(rec.substr(0, rec.size() / 2));
                std::raise(SIGKILL);
            }
            file.open(path);
            file.write(rec);
            file.finish_nosync();
            at = cur.ends[i];
            result_.bytes += rec.size();
            ++result_.written_records;
        }
        if (x.closes) {
            int fd = ::open(tmp_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0) {
                if (::syncfs(fd) != 0) {
                    int e = errno;
                    ::close(fd);
                    throw_io("cannot sync", tmp_dir, e);
                }
                ::close(fd);
            }
            rename_file(tmp_dir, dir + "/" + l_.name(x.file));
            fsync_dir(dir);
            tmp_dir.clear();
            ++result_.written_files;
        }
    }

    // The progress line (stderr): records written, rate, ETA; on a terminal it is rewritten in place.
    class progress_meter {
      public:
        progress_meter(const gen_options& o, const layout& l, const std::vector<bool>& done) {
            tty_ = ::isatty(2) != 0;
            on_ = o.progress < 0 ? tty_ : o.progress > 0;
            for (std::uint64_t f = l.first_file(); f < l.end_file(); ++f)
                if (!done[f - l.first_file()]) total_ += l.file_end(f) - l.file_begin(f);
            t0_ = last_ = std::chrono::steady_clock::now();
        }
        void tick(std::uint64_t written, bool final) {
            if (!on_) return;
            auto now = std::chrono::steady_clock::now();
            auto since = std::chrono::duration<double>(now - last_).count();
            if (!final && since < (tty_ ? 0.25 : 2.0)) return;
            last_ = now;
            double el = std::chrono::duration<double>(now - t0_).count();
            double rate = el > 0 ? static_cast<double>(written) / el : 0.0;
            char eta[32] = "--:--";
            if (rate > 0) {
                auto s = static_cast<std::uint64_t>(static_cast<double>(total_ - std::min(total_, written)) / rate);
                std::snprintf(eta, sizeof eta, "%llu:%02llu", static_cast<unsigned long long>(s / 60),
                              static_cast<unsigned long long>(s % 60));
            }
            double pct = total_ ? 100.0 * static_cast<double>(written) / static_cast<double>(total_) : 100.0;
            std::fprintf(stderr, "%s%s/%s records (%.1f%%)  %s records/s  ETA %s%s", tty_ ? "\r\033[K" : "",
                         with_commas(written).c_str(), with_commas(total_).c_str(), pct,
                         with_commas(static_cast<std::uint64_t>(rate)).c_str(), eta, tty_ ? "" : "\n");
            std::fflush(stderr);
            shown_ = true;
        }
        void finish() {
            if (on_ && shown_ && tty_) std::fputs("\n", stderr);
            shown_ = false;
        }

      private:
        bool tty_ = false, on_ = false, shown_ = false;
        std::uint64_t total_ = 0;
        std::chrono::steady_clock::time_point t0_, last_;
    };
};

}  // namespace warpsynth::driver
