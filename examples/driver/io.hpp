// examples/driver/io.hpp — files: checked POSIX writes (optionally zstd), atomic small files, a line reader.
//
// Every write is checked; a failure becomes an io_error naming the file and the cause ("no space left on device"
// for ENOSPC), so a full disk is reported as such and never leaves a partial record in a finished file (data files
// are written under a temporary name and renamed only once complete, see generate.hpp).
//
// Test hooks (environment variables, for the driver's tests only):
//   WARPSYNTH_TEST_DISK_LIMIT=BYTES  writes beyond BYTES in total (this process) fail with ENOSPC, after writing
//                                    what still fits — a disk that fills up mid-record.
#pragma once

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef WARPSYNTH_HAVE_ZSTD  // set by meson when libzstd is found
#define WARPSYNTH_HAVE_ZSTD 0
#endif
#if WARPSYNTH_HAVE_ZSTD
#include <zstd.h>
#endif

#include "common.hpp"

namespace warpsynth::driver {

namespace fs = std::filesystem;

enum class compression : std::uint8_t { none, zstd };
constexpr bool zstd_available() { return WARPSYNTH_HAVE_ZSTD != 0; }

inline std::string describe_errno(int e) {
    if (e == ENOSPC) return "no space left on device";
    if (e == EDQUOT) return "disk quota exceeded";
    return std::strerror(e);
}
[[noreturn]] inline void throw_io(std::string_view action, const std::string& path, int e) {
    throw io_error(std::string(action) + " " + path + ": " + describe_errno(e), e);
}

namespace io_detail {
inline std::atomic<std::uint64_t> bytes_written{0};
inline std::uint64_t disk_limit() {
    static const std::uint64_t limit = [] {
        const char* v = std::getenv("WARPSYNTH_TEST_DISK_LIMIT");
        return v && *v ? std::strtoull(v, nullptr, 10) : UINT64_MAX;
    }();
    return limit;
}
// write(2) all of it, or throw.
inline void write_all(int fd, const char* p, std::size_t n, const std::string& path) {
    std::uint64_t limit = disk_limit();
    if (limit != UINT64_MAX) {
        std::uint64_t before = bytes_written.fetch_add(n);
        if (before + n > limit) {
            std::size_t fits = before >= limit ? 0 : static_cast<std::size_t>(limit - before);
            if (fits) write_all(fd, p, fits, path);  // (already counted)
            throw_io("cannot write", path, ENOSPC);
        }
    }
    while (n) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            throw_io("cannot write", path, errno);
        }
        if (w == 0) throw_io("cannot write", path, ENOSPC);
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}
}  // namespace io_detail

// A file being written: created (truncated), written through, then finished (flush, fsync, close) or abandoned
// (closed and removed).
class output_file {
  public:
    output_file() = default;
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    ~output_file() {
        abandon();
#if WARPSYNTH_HAVE_ZSTD
        ZSTD_freeCCtx(cctx_);
#endif
    }

    void open(const std::string& path, compression c = compression::none, int level = 3) {
        abandon();
        path_ = path;
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd_ < 0) throw_io("cannot create", path, errno);
        comp_ = c;
#if WARPSYNTH_HAVE_ZSTD
        if (c == compression::zstd) {
            if (!cctx_) cctx_ = ZSTD_createCCtx();
            ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_and_parameters);
            ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
            ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
            // One frame per file, compressed on the calling thread. (libzstd's multi-threaded mode writes other
            // bytes, and the static libzstd of some distributions, Debian's included, lacks it: single-threaded
            // mode is what every build of a given zstd version reproduces.)
            ZSTD_CCtx_setParameter(cctx_, ZSTD_c_nbWorkers, 0);
        }
#else
        (void)level;
#endif
    }
    bool is_open() const { return fd_ >= 0; }
    const std::string& path() const { return path_; }

    void write(std::string_view data) {
#if WARPSYNTH_HAVE_ZSTD
        if (comp_ == compression::zstd) {
            compress(data, ZSTD_e_continue);
            return;
        }
#endif
        io_detail::write_all(fd_, data.data(), data.size(), path_);
    }
    // Flush, fsync and close; the file is complete on disk when this returns.
    void finish() { finish_impl(true); }
    // Flush and close (the caller syncs a whole directory of small files at once).
    void finish_nosync() { finish_impl(false); }
    void finish_impl(bool sync) {
#if WARPSYNTH_HAVE_ZSTD
        if (comp_ == compression::zstd) compress({}, ZSTD_e_end);
#endif
        if (sync && ::fsync(fd_) != 0) throw_io("cannot sync", path_, errno);
        int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) throw_io("cannot close", path_, errno);
    }
    void abandon() noexcept {
        if (fd_ < 0) return;
        ::close(fd_);
        fd_ = -1;
        ::unlink(path_.c_str());
    }
  private:
    int fd_ = -1;
    std::string path_;
    compression comp_ = compression::none;
#if WARPSYNTH_HAVE_ZSTD
    ZSTD_CCtx* cctx_ = nullptr;
    std::string zbuf_;
    void compress(std::string_view data, ZSTD_EndDirective mode) {
        if (zbuf_.size() < ZSTD_CStreamOutSize()) zbuf_.resize(ZSTD_CStreamOutSize());
        ZSTD_inBuffer in{data.data(), data.size(), 0};
        while (true) {
            ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
            std::size_t left = ZSTD_compressStream2(cctx_, &out, &in, mode);
            if (ZSTD_isError(left)) throw io_error("zstd compression failed for " + path_ + ": " + ZSTD_getErrorName(left), EIO);
            io_detail::write_all(fd_, zbuf_.data(), out.pos, path_);
            if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) break;
        }
    }
#endif
};

inline void fsync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

inline void rename_file(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) throw_io("cannot rename " + from + " to", to, errno);
}

// Write a small file atomically: DIR/.NAME.tmp, fsync, rename to DIR/NAME.
inline void write_file_atomic(const std::string& dir, const std::string& name, std::string_view content) {
    std::string tmp = dir + "/." + name + ".tmp", dst = dir + "/" + name;
    output_file f;
    f.open(tmp);
    f.write(content);
    f.finish();
    rename_file(tmp, dst);
}

// Read a whole (small) file. Throws io_error.
inline std::string read_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_io("cannot open", path, errno);
    std::string s;
    char buf[1 << 16];
    while (true) {
        ssize_t r = ::read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            ::close(fd);
            throw_io("cannot read", path, e);
        }
        if (r == 0) break;
        s.append(buf, static_cast<std::size_t>(r));
    }
    ::close(fd);
    return s;
}

// A corrupt compressed stream (reported by validate as an invalid file, not an I/O failure).
struct data_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Lines of a file, plain or zstd-compressed (detected by its magic number), in O(file) time whatever the line
// lengths. `next` yields each line without its '\n'; `had_newline` is false only for a last line without one.
class line_reader {
  public:
    explicit line_reader(const std::string& path) : path_(path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw_io("cannot open", path, errno);
    }
    ~line_reader() {
        if (fd_ >= 0) ::close(fd_);
#if WARPSYNTH_HAVE_ZSTD
        if (dctx_) ZSTD_freeDCtx(dctx_);
#endif
    }
    line_reader(const line_reader&) = delete;
    line_reader& operator=(const line_reader&) = delete;

    bool next(std::string_view& line, bool& had_newline) {
        if (pos_ > 0 && pos_ == buf_.size()) {
            buf_.clear();
            pos_ = scan_ = 0;
        }
        while (true) {
            std::size_t nl = buf_.find('\n', scan_);
            if (nl != std::string::npos) {
                line = std::string_view(buf_).substr(pos_, nl - pos_);
                pos_ = scan_ = nl + 1;
                had_newline = true;
                ++line_no_;
                return true;
            }
            scan_ = buf_.size();
            if (eof_) {
                if (pos_ == buf_.size()) return false;
                line = std::string_view(buf_).substr(pos_);
                pos_ = scan_ = buf_.size();
                had_newline = false;
                ++line_no_;
                return true;
            }
            if (pos_ > 0) {  // keep only the unfinished line
                buf_.erase(0, pos_);
                scan_ -= pos_;
                pos_ = 0;
            }
            fill();
        }
    }
    std::uint64_t line_number() const { return line_no_; }
    bool compressed() const { return zstd_; }

  private:
    std::string path_;
    int fd_ = -1;
    std::string buf_;
    std::size_t pos_ = 0, scan_ = 0;
    std::uint64_t line_no_ = 0;
    bool eof_ = false, started_ = false, zstd_ = false;
    std::string raw_;
#if WARPSYNTH_HAVE_ZSTD
    ZSTD_DCtx* dctx_ = nullptr;
    std::size_t raw_pos_ = 0;
    bool frame_done_ = true;
#endif

    std::size_t read_raw(char* p, std::size_t n) {
        while (true) {
            ssize_t r = ::read(fd_, p, n);
            if (r < 0) {
                if (errno == EINTR) continue;
                throw_io("cannot read", path_, errno);
            }
            return static_cast<std::size_t>(r);
        }
    }
    void fill() {
        constexpr std::size_t chunk = 1 << 20;
        if (!started_) {
            started_ = true;
            raw_.resize(chunk);
            std::size_t n = read_raw(raw_.data(), chunk);
            raw_.resize(n);
            static constexpr unsigned char magic[4] = {0x28, 0xB5, 0x2F, 0xFD};
            zstd_ = n >= 4 && std::memcmp(raw_.data(), magic, 4) == 0;
            if (!zstd_) {
                buf_ += raw_;
                if (n == 0) eof_ = true;
                raw_.clear();
                return;
            }
#if !WARPSYNTH_HAVE_ZSTD
            throw data_error(path_ + " is zstd-compressed, but this warpsynth was built without zstd");
#endif
        }
        if (!zstd_) {
            std::size_t old = buf_.size();
            buf_.resize(old + chunk);
            std::size_t n = read_raw(buf_.data() + old, chunk);
            buf_.resize(old + n);
            if (n == 0) eof_ = true;
            return;
        }
#if WARPSYNTH_HAVE_ZSTD
        if (!dctx_) dctx_ = ZSTD_createDCtx();
        std::size_t produced_before = buf_.size();
        while (buf_.size() == produced_before) {
            if (raw_pos_ == raw_.size()) {
                raw_.resize(chunk);
                std::size_t n = read_raw(raw_.data(), chunk);
                raw_.resize(n);
                raw_pos_ = 0;
                if (n == 0) {
                    if (!frame_done_) throw data_error(path_ + ": truncated zstd stream");
                    eof_ = true;
                    return;
                }
            }
            ZSTD_inBuffer in{raw_.data(), raw_.size(), raw_pos_};
            std::size_t old = buf_.size();
            buf_.resize(old + chunk);
            ZSTD_outBuffer out{buf_.data() + old, chunk, 0};
            std::size_t r = ZSTD_decompressStream(dctx_, &out, &in);
            buf_.resize(old + out.pos);
            raw_pos_ = in.pos;
            if (ZSTD_isError(r)) throw data_error(path_ + ": corrupt zstd stream (" + ZSTD_getErrorName(r) + ")");
            frame_done_ = r == 0;
        }
#endif
    }
};

}  // namespace warpsynth::driver
