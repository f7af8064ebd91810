#pragma once

// Per-thread free lists of fixed-size I/O buffers and of splice pipes. A connection holds a
// buffer or pipe only while bytes are parked in it (the peer could not take them yet); idle
// connections hold neither, which keeps their memory at the size of the session object.
// Loop-thread only.

#include <cstddef>
#include <cstdlib>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace octane::proxy {

// One read: a 64 KiB loopback segment or a typical response fits in one recv and one send
// (HAProxy's 16 KiB buffers take four of each for a 64 KiB reply, and the client four wakeups).
constexpr size_t kIoBufferSize = 64 * 1024;
constexpr size_t kPipeSize = 1024 * 1024;

class BufferPool {
  public:
    ~BufferPool() {
        for (char* b : free_) {
            std::free(b);
        }
    }
    char* get() {
        if (!free_.empty()) {
            char* b = free_.back();
            free_.pop_back();
            return b;
        }
        char* b = static_cast<char*>(std::malloc(kIoBufferSize));
        if (b == nullptr) {
            std::abort();  // OOM: nothing sensible to do on the data path
        }
        return b;
    }
    void put(char* b) {
        if (free_.size() < kMaxFree) {
            free_.push_back(b);
        } else {
            std::free(b);
        }
    }

  private:
    static constexpr size_t kMaxFree = 64;  // 4 MiB cached per thread at most
    std::vector<char*> free_;
};

struct Pipe {
    int rd = -1;
    int wr = -1;
};

class PipePool {
  public:
    ~PipePool() {
        for (const Pipe& p : free_) {
            close(p.rd);
            close(p.wr);
        }
    }
    // Returns false when no pipe can be created (fd limit): the caller falls back to copying.
    bool get(Pipe& out) {
        if (!free_.empty()) {
            out = free_.back();
            free_.pop_back();
            return true;
        }
        int fds[2];
        if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == -1) {
            return false;
        }
        // A large pipe lets one splice drain a whole receive window, halving the syscalls
        // per byte and keeping the sender streaming; the kernel caps it at pipe-max-size and
        // a failure just keeps the default 64 KiB.
        fcntl(fds[1], F_SETPIPE_SZ, static_cast<int>(kPipeSize));
        out = Pipe{fds[0], fds[1]};
        return true;
    }
    // Only empty pipes may come back.
    void put(Pipe p) {
        if (free_.size() < kMaxFree) {
            free_.push_back(p);
        } else {
            close(p.rd);
            close(p.wr);
        }
    }

  private:
    static constexpr size_t kMaxFree = 64;
    std::vector<Pipe> free_;
};

}  // namespace octane::proxy
