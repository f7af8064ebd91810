#pragma once

// Access log: workers format a line and hand it to a bounded queue; one writer thread delivers
// lines to stdout/stderr, a file, or a syslog socket (unix datagram path or udp ip:port). When
// the queue is full, lines are dropped and counted: the data path never waits on logging.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "proxy/config/model.h"
#include "proxy/http/tls_facts.h"
#include "proxy/io/address.h"

namespace octane::proxy {

struct LogRecord {
    const config::ProxySection* frontend = nullptr;
    const config::ProxySection* backend = nullptr;
    const config::ServerLine* server = nullptr;
    const Endpoint* client = nullptr;
    int64_t total_ms = 0;                       // %Tt
    int64_t bytes_up = 0;                       // %U, client -> server
    int64_t bytes_down = 0;                     // %B, server -> client
    int status = 0;                             // %ST (HTTP), 0 for TCP
    const std::string* request_line = nullptr;  // %r
    const char* term_state = "--";              // %ts / %tsc
    const http::TlsFacts* tls = nullptr;        // %[ssl_c_verify], %[ssl_c_s_dn] on TLS
};

// Renders a HAProxy log-format string for one record (subset of variables; unknown ones "-").
std::string format_log_line(const std::string& format, const LogRecord& rec);

class AccessLog {
  public:
    // `targets`: "stdout", "stderr", "file:/path", "/unix/syslog/socket", "ip:port" (udp).
    explicit AccessLog(std::vector<std::string> targets);
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    // Any thread; never blocks beyond a short queue lock.
    void write(const LogRecord& rec);
    void write_line(std::string line);
    int64_t dropped() const { return dropped_.load(); }

  private:
    struct Sink {
        int fd = -1;
        bool syslog = false;
        Endpoint addr;  // for udp
        bool udp = false;
    };
    void run();
    void deliver(const std::string& line);

    std::vector<Sink> sinks_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;  // guarded by mu_
    bool stop_ = false;              // guarded by mu_
    std::atomic<int64_t> dropped_{0};
    std::thread thread_;
};

}  // namespace octane::proxy
