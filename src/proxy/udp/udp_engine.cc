#include "proxy/udp/udp_engine.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace octane::proxy::udp {
namespace {

constexpr size_t kBatch = 16;
constexpr size_t kMaxDatagram = 65536;
constexpr int64_t kSweepMs = 1000;

std::string address_bytes(const Endpoint& ep) {
    if (ep.family() == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&ep.storage);
        return std::string(reinterpret_cast<const char*>(&a->sin_addr), 4);
    }
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ep.storage);
    return std::string(reinterpret_cast<const char*>(&a->sin6_addr), 16);
}

std::string flow_key(size_t service, size_t vip, const Endpoint& client) {
    std::string key = address_bytes(client);
    uint16_t port = client.port();
    key.push_back(static_cast<char>(port >> 8));
    key.push_back(static_cast<char>(port & 0xff));
    key.push_back(static_cast<char>(service));
    key.push_back(static_cast<char>(vip));
    return key;
}

constexpr int kSctpBacklog = 1024;

Result<int> open_vip(const Endpoint& ep, bool sctp) {
    int fd = socket(ep.family(), (sctp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    sctp ? IPPROTO_SCTP : 0);
    if (fd < 0) {
        if (sctp && errno == EPROTONOSUPPORT) {
            return make_error("cannot serve SCTP " + ep.to_string() + ": kernel lacks SCTP");
        }
        return make_error(std::string("socket: ") + std::strerror(errno));
    }
    int one = 1;
    // The VIP may be plugged after the engine starts, as keepalived's IPVS services exist before
    // their address does.
    setsockopt(fd, SOL_IP, IP_FREEBIND, &one, sizeof(one));
    if (ep.family() == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (sctp) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    }
    if (::bind(fd, ep.sa(), ep.length) != 0 || (sctp && ::listen(fd, kSctpBacklog) != 0)) {
        std::string msg = std::string("cannot bind ") + (sctp ? "SCTP " : "UDP ") + ep.to_string() +
                          ": " + std::strerror(errno);
        close(fd);
        return make_error(msg);
    }
    return fd;
}

}  // namespace

Result<std::vector<ResolvedService>> resolve(const LvsConfig& cfg, const std::string& file) {
    std::vector<ResolvedService> out;
    std::string errors;
    auto fail = [&](int line, const std::string& msg) {
        errors += file + ":" + std::to_string(line) + ": " + msg + "\n";
    };
    // `address` with `port`, or nothing (and an error naming `what`) when it is no IP address.
    auto endpoint = [&](const std::string& address, int port, int line, const char* what) {
        auto ep = parse_ip(address);
        if (!ep) {
            fail(line, std::string("invalid ") + what + " address '" + address + "'");
        } else {
            ep->set_port(static_cast<uint16_t>(port));
        }
        return ep;
    };
    for (const auto& vs : cfg.virtual_servers) {
        ResolvedService r{vs, {}, {}, {}};
        if (vs.protocol != "UDP" && vs.protocol != "SCTP") {
            continue;  // reported by the parser
        }
        for (const auto& vip : vs.vips) {
            if (auto ep = endpoint(vip.address, vip.port, vs.line, "virtual server")) {
                r.vips.push_back(*ep);
            }
        }
        if (!vs.persistence_granularity.empty() && !r.vips.empty() &&
            !granularity_mask(vs.persistence_granularity, r.vips[0].family() == AF_INET ? 4 : 16)) {
            fail(vs.line, "invalid persistence_granularity '" + vs.persistence_granularity + "'");
        }
        for (const auto& rs : vs.real_servers) {
            auto ep = endpoint(rs.address, rs.port, rs.line, "real_server");
            if (!ep) {
                continue;
            }
            r.servers.push_back(*ep);
            Endpoint target = *ep;
            if (rs.check != CheckKind::kNone) {
                auto ca = endpoint(rs.check_address.empty() ? rs.address : rs.check_address,
                                   rs.check_port != 0 ? rs.check_port : rs.port, rs.line, "check");
                if (!ca) {
                    continue;
                }
                target = *ca;
            }
            r.check_targets.push_back(target);
        }
        out.push_back(std::move(r));
    }
    if (!errors.empty()) {
        errors.pop_back();
        return make_error(errors);
    }
    return out;
}

class UdpEngine::VipSocket final : public IoHandler {
  public:
    VipSocket(UdpEngine& engine, size_t service, size_t vip, int fd, std::string key, bool sctp)
        : engine(engine), service(service), vip(vip), fd(fd), key(std::move(key)), sctp(sctp) {}
    ~VipSocket() {
        if (fd >= 0) {
            close(fd);
        }
    }
    void on_io(uint32_t, unsigned) override {
        if (sctp) {
            engine.on_sctp_acceptable(service, fd);
        } else {
            engine.on_vip_readable(service, vip, fd);
        }
    }

    UdpEngine& engine;
    size_t service;
    size_t vip;
    int fd;
    std::string key;
    bool sctp;
};

void Flow::on_io(uint32_t, unsigned) {
    engine_.on_flow_readable(*this);
}

UdpEngine::UdpEngine(EventLoop& loop, LvsConfig config, std::vector<ResolvedService> services,
                     EngineSettings settings)
    : loop_(loop), config_(std::move(config)), settings_(settings) {
    for (auto& r : services) {
        auto svc = std::unique_ptr<Service>(new Service{r, Scheduler(r.vs), {}, {}, 0});
        svc->members.resize(r.servers.size());
        for (int i = 0; i < static_cast<int>(r.servers.size()); ++i) {
            svc->scheduler.set_up(i, true);
        }
        services_.push_back(std::move(svc));
    }
    buffer_.resize(kBatch * kMaxDatagram);
}

UdpEngine::~UdpEngine() {
    loop_.cancel(sweep_);
    relays_.clear();
    for (auto& [key, flow] : flows_) {
        close(flow->fd_);
        delete flow;
    }
    flows_.clear();
    lru_.clear();
}

Result<void> UdpEngine::bind(std::map<std::string, std::vector<int>>& inherited) {
    for (size_t s = 0; s < services_.size(); ++s) {
        const auto& vips = services_[s]->resolved.vips;
        bool sctp = services_[s]->resolved.vs.protocol == "SCTP";
        for (size_t v = 0; v < vips.size(); ++v) {
            std::string key = (sctp ? "sctp " : "udp ") + vips[v].to_string();
            int fd = -1;
            auto it = inherited.find(key);
            if (it != inherited.end() && !it->second.empty()) {
                fd = it->second.back();
                it->second.pop_back();
            } else {
                auto opened = open_vip(vips[v], sctp);
                if (!opened) {
                    return Unexpected(opened.error());
                }
                fd = *opened;
            }
            vips_.push_back(std::make_unique<VipSocket>(*this, s, v, fd, key, sctp));
        }
    }
    return {};
}

std::vector<std::pair<std::string, int>> UdpEngine::vip_sockets() const {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& v : vips_) {
        out.emplace_back(v->key, v->fd);
    }
    return out;
}

void UdpEngine::start() {
    for (auto& v : vips_) {
        loop_.add(v->fd, EPOLLIN, v.get());
        v->on_io(EPOLLIN, 0);  // datagrams or associations queued before we registered
    }
    for (size_t s = 0; s < services_.size(); ++s) {
        auto& svc = *services_[s];
        const auto& vs = svc.resolved.vs;
        ProbeSchedule schedule;
        schedule.delay_ms = std::max(1, vs.delay_loop_s) * 1000LL;
        schedule.retry_delay_ms =
            (vs.delay_before_retry_s > 0 ? vs.delay_before_retry_s : std::max(1, vs.delay_loop_s)) *
            1000LL;
        schedule.retry = vs.retry > 0 ? vs.retry : 1;
        for (size_t i = 0; i < svc.members.size(); ++i) {
            const auto& rs = vs.real_servers[i];
            if (rs.check == CheckKind::kNone) {
                continue;
            }
            ProbeSchedule own = schedule;
            own.timeout_ms = std::max(1, rs.check_timeout_s) * 1000LL;
            int server = static_cast<int>(i);
            svc.members[i].probe = std::make_unique<HealthProbe>(
                loop_, rs, svc.resolved.check_targets[i], own,
                [this, s, server](bool up, const std::string& reason) {
                    server_state(s, server, up, reason);
                });
            svc.members[i].probe->start();
        }
    }
    loop_.arm_in(sweep_, kSweepMs);
}

void UdpEngine::server_state(size_t service, int server, bool up, const std::string& reason) {
    auto& svc = *services_[service];
    const auto& rs = svc.resolved.vs.real_servers[static_cast<size_t>(server)];
    std::fprintf(stderr, "[WARNING] real server %s (%s:%u) is %s: %s\n", rs.member_id.c_str(),
                 rs.address.c_str(), rs.port, up ? "UP" : "DOWN", reason.c_str());
    svc.scheduler.set_up(server, up);
    if (up) {
        return;
    }
    std::vector<Flow*> gone;
    for (auto& [key, flow] : flows_) {
        if (flow->service_ == service && flow->server_ == server) {
            gone.push_back(flow);
        }
    }
    for (Flow* f : gone) {
        close_flow(f);
    }
    std::vector<SctpRelay*> ended;
    for (auto& [relay, owned] : relays_) {
        if (relay->service() == service && relay->server() == server) {
            ended.push_back(relay);
        }
    }
    for (SctpRelay* r : ended) {
        r->close_quietly();
        on_relay_closed(*r);
    }
}

void UdpEngine::on_sctp_acceptable(size_t service, int fd) {
    if (stopping_) {
        return;
    }
    auto& svc = *services_[service];
    for (;;) {
        sockaddr_storage peer{};
        socklen_t len = sizeof(peer);
        int client =
            accept4(fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (client < 0) {
            return;  // EAGAIN, or an aborted association
        }
        Endpoint from = endpoint_from(reinterpret_cast<sockaddr*>(&peer), len);
        auto server = svc.scheduler.pick(ClientKey{address_bytes(from), from.port()}, loop_.now());
        int upstream = -1;
        if (server) {
            const Endpoint& target = svc.resolved.servers[static_cast<size_t>(*server)];
            upstream =
                socket(target.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_SCTP);
            if (upstream >= 0 && connect(upstream, target.sa(), target.length) != 0 &&
                errno != EINPROGRESS) {
                close(upstream);
                upstream = -1;
            }
            if (upstream < 0) {
                svc.scheduler.release(*server);
            }
        }
        if (upstream < 0) {
            svc.counters.dropped++;
            close(client);
            continue;
        }
        auto relay = std::make_unique<SctpRelay>(loop_, *this, service, *server, client, upstream);
        SctpRelay* raw = relay.get();
        relays_.emplace(raw, std::move(relay));
        svc.current_flows++;
        svc.counters.flows_total++;
        svc.members[static_cast<size_t>(*server)].counters.flows_total++;
        raw->start();
    }
}

void UdpEngine::on_relay_bytes(SctpRelay& relay, bool to_server, size_t bytes) {
    auto& svc = *services_[relay.service()];
    auto& member = svc.members[static_cast<size_t>(relay.server())].counters;
    auto n = static_cast<int64_t>(bytes);
    for (Counters* c : {&svc.counters, &member}) {
        (to_server ? c->datagrams_in : c->datagrams_out)++;
        (to_server ? c->bytes_in : c->bytes_out) += n;
    }
}

void UdpEngine::on_relay_closed(SctpRelay& relay) {
    auto it = relays_.find(&relay);
    if (it == relays_.end()) {
        return;
    }
    auto& svc = *services_[relay.service()];
    svc.scheduler.release(relay.server());
    svc.current_flows--;
    loop_.defer_delete(it->second.release());  // an event of this batch may still name it
    relays_.erase(it);
}

void UdpEngine::on_vip_readable(size_t service, size_t vip, int fd) {
    if (stopping_) {
        return;
    }
    mmsghdr msgs[kBatch];
    iovec iov[kBatch];
    sockaddr_storage from[kBatch];
    for (;;) {
        for (size_t i = 0; i < kBatch; ++i) {
            iov[i] = {buffer_.data() + i * kMaxDatagram, kMaxDatagram};
            msgs[i] = {};
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
        }
        int n = recvmmsg(fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
        if (n <= 0) {
            return;  // EAGAIN (drained) or an error the socket reports again later
        }
        // Consecutive datagrams of one client (a window in flight) leave in one sendmmsg.
        for (int i = 0; i < n;) {
            int j = i + 1;
            while (j < n && msgs[j].msg_hdr.msg_namelen == msgs[i].msg_hdr.msg_namelen &&
                   std::memcmp(&from[j], &from[i], msgs[i].msg_hdr.msg_namelen) == 0) {
                ++j;
            }
            Endpoint client =
                endpoint_from(reinterpret_cast<sockaddr*>(&from[i]), msgs[i].msg_hdr.msg_namelen);
            forward(service, vip, client, &msgs[i], j - i);
            i = j;
        }
        if (n < static_cast<int>(kBatch)) {
            return;
        }
    }
}

void UdpEngine::forward(size_t service, size_t vip, const Endpoint& client, mmsghdr* msgs,
                        int count) {
    auto& svc = *services_[service];
    std::string key = flow_key(service, vip, client);
    auto it = flows_.find(key);
    Flow* flow = it != flows_.end() ? it->second : open_flow(service, vip, client, key);
    if (flow == nullptr) {
        svc.counters.dropped += count;
        return;
    }
    touch(*flow);
    for (int i = 0; i < count; ++i) {
        msgs[i].msg_hdr.msg_iov->iov_len = msgs[i].msg_len;
        msgs[i].msg_hdr.msg_name = nullptr;  // the flow socket is connected
        msgs[i].msg_hdr.msg_namelen = 0;
    }
    int sent = std::max(
        0, sendmmsg(flow->fd_, msgs, static_cast<unsigned>(count), MSG_DONTWAIT | MSG_NOSIGNAL));
    int64_t bytes = 0;
    for (int i = 0; i < sent; ++i) {
        bytes += msgs[i].msg_len;
    }
    auto& member = svc.members[static_cast<size_t>(flow->server_)].counters;
    member.dropped += count - sent;
    svc.counters.dropped += count - sent;
    member.datagrams_in += sent;
    member.bytes_in += bytes;
    svc.counters.datagrams_in += sent;
    svc.counters.bytes_in += bytes;
}

void UdpEngine::touch(Flow& flow) {
    flow.last_active_ms_ = loop_.now();
    lru_.splice(lru_.end(), lru_, flow.lru_);
}

Flow* UdpEngine::open_flow(size_t service, size_t vip, const Endpoint& client, std::string key,
                           int forced) {
    auto& svc = *services_[service];
    while (!lru_.empty() && flows_.size() >= settings_.max_flows) {
        close_flow(lru_.front());
    }
    ClientKey ck{address_bytes(client), client.port()};
    std::optional<int> server;
    if (forced < 0) {
        server = svc.scheduler.pick(ck, loop_.now());
    } else if (svc.scheduler.assign(ck, forced, loop_.now())) {
        server = forced;
    }
    if (!server) {
        return nullptr;
    }
    const Endpoint& target = svc.resolved.servers[static_cast<size_t>(*server)];
    int fd = socket(target.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, target.sa(), target.length) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        svc.scheduler.release(*server);
        return nullptr;
    }
    auto* flow = new Flow(*this, service, vip, *server, client, std::move(key));
    flow->fd_ = fd;
    flow->lru_ = lru_.insert(lru_.end(), flow);
    for (const auto& v : vips_) {
        if (v->service == service && v->vip == vip) {
            flow->vip_fd_ = v->fd;
        }
    }
    flow->last_active_ms_ = loop_.now();
    loop_.add(fd, EPOLLIN, flow);
    flows_.emplace(flow->key_, flow);
    svc.current_flows++;
    svc.counters.flows_total++;
    svc.members[static_cast<size_t>(*server)].counters.flows_total++;
    return flow;
}

// Answers go out in batches: one recvmmsg from the member, one sendmmsg through the VIP.
void UdpEngine::on_flow_readable(Flow& flow) {
    if (flow.fd_ < 0) {
        return;
    }
    auto& svc = *services_[flow.service_];
    auto& member = svc.members[static_cast<size_t>(flow.server_)].counters;
    mmsghdr msgs[kBatch];
    iovec iov[kBatch];
    for (;;) {
        for (size_t i = 0; i < kBatch; ++i) {
            iov[i] = {buffer_.data() + i * kMaxDatagram, kMaxDatagram};
            msgs[i] = {};
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int n = recvmmsg(flow.fd_, msgs, kBatch, MSG_DONTWAIT, nullptr);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return;
            }
            continue;  // ECONNREFUSED from an ICMP error: the server's health check judges it
        }
        touch(flow);
        for (int i = 0; i < n; ++i) {
            iov[i].iov_len = msgs[i].msg_len;
            msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(flow.client_.sa());
            msgs[i].msg_hdr.msg_namelen = flow.client_.length;
        }
        int sent = flow.vip_fd_ < 0 ? -1
                                    : sendmmsg(flow.vip_fd_, msgs, static_cast<unsigned>(n),
                                               MSG_DONTWAIT | MSG_NOSIGNAL);
        sent = std::max(sent, 0);
        int64_t sent_bytes = 0;
        for (int i = 0; i < sent; ++i) {
            sent_bytes += msgs[i].msg_len;
        }
        member.dropped += n - sent;
        member.datagrams_out += sent;
        member.bytes_out += sent_bytes;
        svc.counters.datagrams_out += sent;
        svc.counters.bytes_out += sent_bytes;
        if (n < static_cast<int>(kBatch)) {
            return;
        }
    }
}

void UdpEngine::close_flow(Flow* flow) {
    auto& svc = *services_[flow->service_];
    svc.scheduler.release(flow->server_);
    svc.current_flows--;
    loop_.close_fd(flow->fd_);
    flow->fd_ = -1;
    flows_.erase(flow->key_);
    lru_.erase(flow->lru_);
    loop_.defer_delete(flow);  // an event of this batch may still name it
}

void UdpEngine::on_timer(Timer&) {
    int64_t now = loop_.now();
    int64_t timeout = stopping_ ? stop_grace_ms_ : settings_.flow_timeout_ms;
    // Least recently active first: the sweep stops at the first flow still in use.
    while (!lru_.empty() && now - lru_.front()->last_active_ms_ >= timeout) {
        Flow* f = lru_.front();
        auto& svc = *services_[f->service_];
        svc.scheduler.touch(ClientKey{address_bytes(f->client_), f->client_.port()}, now);
        close_flow(f);
    }
    for (auto& svc : services_) {
        svc->scheduler.expire(now);
    }
    if (finished()) {
        loop_.stop();
        return;
    }
    loop_.arm_in(sweep_, stopping_ ? std::min<int64_t>(kSweepMs, stop_grace_ms_) : kSweepMs);
}

void UdpEngine::soft_stop(int64_t grace_ms) {
    stopping_ = true;
    stop_grace_ms_ = grace_ms;
    for (auto& v : vips_) {
        loop_.remove(v->fd);  // the successor reads the shared socket; ours only sends answers
    }
    for (auto& svc : services_) {
        for (auto& m : svc->members) {
            m.probe.reset();
        }
    }
    loop_.arm_in(sweep_, 0);
}

}  // namespace octane::proxy::udp

namespace octane::proxy::udp {

std::string UdpEngine::show_flows() const {
    std::string out;
    for (const Flow* f : lru_) {
        const auto& svc = *services_[f->service_];
        out += svc.resolved.vips[f->vip_].to_string() + " " + f->client_.to_string() + " " +
               svc.resolved.servers[static_cast<size_t>(f->server_)].to_string() + "\n";
    }
    return out;
}

size_t UdpEngine::adopt_flows(const std::string& table) {
    size_t adopted = 0;
    size_t start = 0;
    while (start < table.size()) {
        size_t end = table.find('\n', start);
        end = end == std::string::npos ? table.size() : end;
        std::string line = table.substr(start, end - start);
        start = end + 1;
        size_t a = line.find(' ');
        size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
        if (b == std::string::npos) {
            continue;
        }
        std::string vip = line.substr(0, a);
        std::string client = line.substr(a + 1, b - a - 1);
        std::string server = line.substr(b + 1);
        auto peer = parse_endpoint(client);
        if (!peer) {
            continue;
        }
        for (size_t s = 0; s < services_.size(); ++s) {
            const auto& r = services_[s]->resolved;
            if (r.vs.protocol != "UDP") {
                continue;
            }
            for (size_t v = 0; v < r.vips.size(); ++v) {
                if (r.vips[v].to_string() != vip) {
                    continue;
                }
                for (size_t m = 0; m < r.servers.size(); ++m) {
                    std::string key = flow_key(s, v, *peer);
                    if (r.servers[m].to_string() == server && flows_.count(key) == 0 &&
                        open_flow(s, v, *peer, key, static_cast<int>(m)) != nullptr) {
                        ++adopted;
                    }
                }
            }
        }
    }
    return adopted;
}

}  // namespace octane::proxy::udp
