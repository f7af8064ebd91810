#include "agent/heartbeat_sender.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/engine_config.h"
#include "agent/stats_socket.h"
#include "common/file_util.h"
#include "wire/heartbeat_envelope.h"

namespace octane::agent {
namespace {

constexpr auto kStatsTimeout = std::chrono::milliseconds(1000);

// `sockets` holds one UDP socket per address family, opened on first use and kept: a heartbeat
// every second should not cost a socket() and close() each.
bool send_datagram(const Endpoint& to, const std::string& datagram, int (&sockets)[2]) {
    sockaddr_storage address{};
    socklen_t length = 0;
    int family = AF_INET;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (inet_pton(AF_INET, to.host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(to.port);
        length = sizeof(sockaddr_in);
    } else if (inet_pton(AF_INET6, to.host.c_str(), &v6->sin6_addr) == 1) {
        family = AF_INET6;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(to.port);
        length = sizeof(sockaddr_in6);
    } else {
        return false;
    }
    int& fd = sockets[family == AF_INET ? 0 : 1];
    if (fd == -1) {
        fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd == -1) {
            return false;
        }
    }
    ssize_t n = sendto(fd, datagram.data(), datagram.size(), 0,
                       reinterpret_cast<sockaddr*>(&address), length);
    return n == static_cast<ssize_t>(datagram.size());
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

HeartbeatSender::HeartbeatSender(std::string amphora_id, std::string counters_file,
                                 HeartbeatSettings settings, const EngineSupervisor& engines)
    : amphora_id_(std::move(amphora_id)),
      counters_file_(std::move(counters_file)),
      engines_(engines),
      settings_(std::move(settings)) {
    auto saved = nlohmann::json::parse(read_file(counters_file_), nullptr, false);
    if (!saved.is_discarded()) {
        counters_ = wire::counters_from_json(saved);
    }
}

HeartbeatSender::~HeartbeatSender() {
    stop();
    for (int fd : sockets_) {
        if (fd != -1) {
            close(fd);
        }
    }
}

void HeartbeatSender::start() {
    thread_ = std::thread([this] { run(); });
}

void HeartbeatSender::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void HeartbeatSender::update(HeartbeatSettings settings) {
    {
        std::lock_guard lock(mutex_);
        settings_ = std::move(settings);
    }
    wake_.notify_all();
}

void HeartbeatSender::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        HeartbeatSettings settings = settings_;
        lock.unlock();
        send_one(settings);
        lock.lock();
        // An interval timer, not a wait for a condition: update() and stop() cut it short.
        wake_.wait_for(lock, settings_.interval, [&] { return stopping_; });
    }
}

void HeartbeatSender::send_one(const HeartbeatSettings& settings) {
    if (settings.controllers.empty()) {
        return;
    }
    std::vector<wire::StatRow> rows;
    for (const auto& engine : engines_.running()) {
        std::string socket =
            !engine.lvs_stats_socket.empty()
                ? engine.lvs_stats_socket
                : summarize_engine_config(read_file(engine.config_path)).stats_socket;
        if (socket.empty()) {
            continue;
        }
        auto text = query_stats_socket(socket, "show stat", kStatsTimeout);
        if (!text) {
            spdlog::debug("no stats for {}: {}", engine.lb_id, text.error().message);
            continue;
        }
        auto parsed = wire::parse_show_stat(*text);
        if (parsed) {
            rows.insert(rows.end(), parsed->begin(), parsed->end());
        }
    }
    auto heartbeat = wire::heartbeat_from_stats(rows, amphora_id_, seq_++, counters_);
    std::string datagram = wire::encode_heartbeat(heartbeat, settings.key);
    const Endpoint& to = settings.controllers[next_controller_++ % settings.controllers.size()];
    if (send_datagram(to, datagram, sockets_)) {
        sent_++;
    } else {
        spdlog::warn("cannot send a heartbeat to {}:{}", to.host, to.port);
    }
    save_counters();
}

void HeartbeatSender::save_counters() {
    std::string text = wire::to_json(counters_).dump();
    if (text == saved_counters_) {
        return;
    }
    // Best effort: a lost save only restarts the counters' sequence after an agent restart.
    if (write_file_atomic(counters_file_, text, 0644)) {
        saved_counters_ = std::move(text);
    }
}

}  // namespace octane::agent
