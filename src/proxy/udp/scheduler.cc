#include "proxy/udp/scheduler.h"

#include <arpa/inet.h>

namespace octane::proxy::udp {
namespace {

balance::Algorithm algorithm_of(const std::string& lb_algo) {
    if (lb_algo == "lc" || lb_algo == "wlc") {
        return balance::Algorithm::kLeastConn;
    }
    if (lb_algo == "sh") {
        return balance::Algorithm::kSource;
    }
    return balance::Algorithm::kRoundRobin;
}

}  // namespace

std::optional<std::string> granularity_mask(const std::string& text, size_t family_bytes) {
    std::string mask(family_bytes, static_cast<char>(0xff));
    if (text.empty()) {
        return mask;
    }
    if (family_bytes == 4 && text.find('.') != std::string::npos) {
        in_addr a{};
        if (inet_pton(AF_INET, text.c_str(), &a) != 1) {
            return std::nullopt;
        }
        return std::string(reinterpret_cast<const char*>(&a), 4);
    }
    int bits = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || bits > 128) {
            return std::nullopt;
        }
        bits = bits * 10 + (c - '0');
    }
    if (bits > static_cast<int>(family_bytes * 8)) {
        return std::nullopt;
    }
    for (size_t i = 0; i < family_bytes; ++i) {
        int left = bits - static_cast<int>(i * 8);
        mask[i] = static_cast<char>(left >= 8 ? 0xff : left <= 0 ? 0 : (0xff << (8 - left)) & 0xff);
    }
    return mask;
}

Scheduler::Scheduler(const VirtualServer& vs) {
    std::vector<balance::ServerSpec> specs;
    for (const auto& rs : vs.real_servers) {
        specs.push_back({.weight = rs.weight, .backup = false, .maxconn = 0});
        uthreshold_.push_back(rs.uthreshold);
    }
    // IPVS's sh is a fixed table of the servers: map-based, as HAProxy's default hash-type.
    balancer_ = balance::make_balancer(algorithm_of(vs.lb_algo), balance::HashType::kMapBased,
                                       std::move(specs), false);
    source_hash_ = vs.lb_algo == "sh";
    hash_port_ = vs.sh_port;
    persistence_ms_ = static_cast<int64_t>(vs.persistence_timeout_s) * 1000;
    // Octavia writes a dotted mask for IPv4 groups and a prefix length for IPv6 ones.
    mask4_ = granularity_mask(vs.persistence_granularity, 4).value_or(std::string(4, '\xff'));
    mask6_ = granularity_mask(vs.persistence_granularity, 16).value_or(std::string(16, '\xff'));
}

void Scheduler::set_up(int server, bool up) {
    balancer_->set_up(server, up);
}

std::string Scheduler::network_of(const ClientKey& client) const {
    const std::string& mask = client.address.size() == 4 ? mask4_ : mask6_;
    std::string net = client.address;
    for (size_t i = 0; i < net.size() && i < mask.size(); ++i) {
        net[i] = static_cast<char>(net[i] & mask[i]);
    }
    return net;
}

bool Scheduler::has_room(int server) const {
    return uthreshold_[server] == 0 || balancer_->conns(server) < uthreshold_[server];
}

std::optional<int> Scheduler::pick(const ClientKey& client, int64_t now_ms) {
    std::string network;
    if (persistence_ms_ > 0) {
        network = network_of(client);
        auto it = persistence_.find(network);
        if (it != persistence_.end() && it->second.expires_ms > now_ms &&
            balancer_->is_up(it->second.server) && balancer_->weight(it->second.server) > 0 &&
            has_room(it->second.server)) {
            it->second.expires_ms = now_ms + persistence_ms_;
            balancer_->take(it->second.server);
            return it->second.server;
        }
    }
    balance::PickContext ctx;
    if (source_hash_) {
        std::string key = client.address;
        if (hash_port_) {
            key.push_back(static_cast<char>(client.port >> 8));
            key.push_back(static_cast<char>(client.port & 0xff));
        }
        ctx.hash = balance::hash_source(reinterpret_cast<const uint8_t*>(key.data()), key.size());
    }
    auto server = balancer_->pick(ctx);
    if (server && !has_room(*server)) {
        ctx.avoid = *server;
        server = balancer_->pick(ctx);  // another eligible server, if one has room
        if (server && !has_room(*server)) {
            server.reset();
        }
    }
    if (!server) {
        return std::nullopt;
    }
    balancer_->take(*server);
    if (persistence_ms_ > 0) {
        persistence_[network] = {*server, now_ms + persistence_ms_};
    }
    return server;
}

bool Scheduler::assign(const ClientKey& client, int server, int64_t now_ms) {
    if (server < 0 || server >= size() || !balancer_->is_up(server)) {
        return false;
    }
    balancer_->take(server);
    if (persistence_ms_ > 0) {
        persistence_[network_of(client)] = {server, now_ms + persistence_ms_};
    }
    return true;
}

void Scheduler::touch(const ClientKey& client, int64_t now_ms) {
    if (persistence_ms_ == 0) {
        return;
    }
    auto it = persistence_.find(network_of(client));
    if (it != persistence_.end()) {
        it->second.expires_ms = now_ms + persistence_ms_;
    }
}

void Scheduler::expire(int64_t now_ms) {
    for (auto it = persistence_.begin(); it != persistence_.end();) {
        it = it->second.expires_ms <= now_ms ? persistence_.erase(it) : std::next(it);
    }
}

}  // namespace octane::proxy::udp
