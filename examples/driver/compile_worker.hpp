// examples/driver/compile_worker.hpp — NVRTC in single-threaded child processes.
//
// Why processes: a crash or a leak inside NVRTC costs one batch, not the run (the child is restarted). Measured on the 16-core GPU machine with NVRTC's cache disabled (an earlier
// comparison that favoured processes over threads had been confounded by that cache): NVRTC time per record
// stays ~100 ms CPU at 8, 12 and 16 workers, so throughput grows with the worker count (68, 91, 118 records/s on
// 2,048 records). Each `launch` thread hands its batches to its own child, `warpsynth nvrtc-worker`, which reads
// sources from stdin and answers on stdout.
//
// Frames (native byte order, both directions): u64 length, then the bytes. The answer is one byte (1 compiled,
// 0 failed) followed by a frame: the image (cubin/PTX) or the compiler log.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "cuda_api.hpp"

extern char** environ;

namespace warpsynth::driver::worker {

inline bool write_all(int fd, const void* p, std::size_t n) {
    auto* c = static_cast<const char*>(p);
    while (n) {
        ssize_t w = ::write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        c += w, n -= static_cast<std::size_t>(w);
    }
    return true;
}

inline bool read_all(int fd, void* p, std::size_t n) {
    auto* c = static_cast<char*>(p);
    while (n) {
        ssize_t r = ::read(fd, c, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        c += r, n -= static_cast<std::size_t>(r);
    }
    return true;
}

inline bool write_frame(int fd, const std::string& s) {
    std::uint64_t n = s.size();
    return write_all(fd, &n, sizeof n) && write_all(fd, s.data(), s.size());
}

inline bool read_frame(int fd, std::string& s) {
    std::uint64_t n = 0;
    if (!read_all(fd, &n, sizeof n) || n > (std::uint64_t{1} << 34)) return false;
    s.resize(n);
    return read_all(fd, s.data(), n);
}

// The child's loop: compile each source read from stdin with `compile(source, image, log)` until end of input.
template <class Compile> int serve(Compile&& compile) {
    std::string source, image, log;
    while (read_frame(0, source)) {
        image.clear(), log.clear();
        bool ok = compile(source, image, log);
        char flag = ok ? 1 : 0;
        if (!write_all(1, &flag, 1) || !write_frame(1, ok ? image : log)) return 1;
    }
    return 0;
}

// The parent's handle on one child. Not thread-safe: one per thread.
class process {
  public:
    // argv[0] is the executable; the child is started on first use and restarted after it dies.
    explicit process(std::vector<std::string> argv) : argv_(std::move(argv)) {}
    ~process() { stop(); }
    process(const process&) = delete;
    process& operator=(const process&) = delete;

    bool operator()(const std::string& source, std::string& image, std::string& log) {
        if (pid_ <= 0 && !start(log)) return false;
        char flag = 0;
        std::string& out = image;
        if (!write_frame(to_, source) || !read_all(from_, &flag, 1) || !read_frame(from_, out)) {
            int status = 0;
            stop(&status);
            log = "the NVRTC worker process " +
                  (WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                       : "exited with status " + std::to_string(WEXITSTATUS(status)));
            image.clear();
            return false;
        }
        if (!flag) {
            log.swap(image);
            image.clear();
        }
        return flag != 0;
    }

  private:
    bool start(std::string& log) {
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0) return fail(log, "pipe");
        if (::pipe2(out, O_CLOEXEC) != 0) {
            ::close(in[0]), ::close(in[1]);
            return fail(log, "pipe");
        }
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, in[0], 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        std::vector<char*> args;
        for (auto& a : argv_) args.push_back(a.data());
        args.push_back(nullptr);
        int rc = ::posix_spawn(&pid_, argv_[0].c_str(), &fa, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        ::close(in[0]), ::close(out[1]);
        if (rc != 0) {
            ::close(in[1]), ::close(out[0]);
            pid_ = -1;
            errno = rc;
            return fail(log, "starting " + argv_[0]);
        }
        to_ = in[1], from_ = out[0];
        return true;
    }

    void stop(int* status = nullptr) {
        if (to_ >= 0) ::close(to_);
        if (from_ >= 0) ::close(from_);
        to_ = from_ = -1;
        if (pid_ > 0) {
            int st = 0;
            while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
            }
            if (status) *status = st;
        }
        pid_ = -1;
    }

    static bool fail(std::string& log, const std::string& what) {
        log = what + " failed: " + std::strerror(errno);
        return false;
    }

    std::vector<std::string> argv_;
    pid_t pid_ = -1;
    int to_ = -1, from_ = -1;
};

}  // namespace warpsynth::driver::worker
