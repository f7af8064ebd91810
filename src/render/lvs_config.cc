#include "render/lvs_config.h"

#include "render/expected_codes.h"

namespace octane::render {
namespace {

bool is_pending_delete(const std::string& status) {
    return status == "PENDING_DELETE";
}

int ip_version(const std::string& address) {
    return address.find(':') == std::string::npos ? 4 : 6;
}

// A value keepalived reads back as one word: no blanks, quotes, braces, comment starts or
// control characters.
bool plain_word(const std::string& s) {
    if (s.empty()) {
        return false;
    }
    for (unsigned char c : s) {
        if (c <= ' ' || c == 0x7f || c == '"' || c == '{' || c == '}' || c == '#' || c == '!') {
            return false;
        }
    }
    return true;
}

std::string lb_algo(const std::string& algorithm) {
    if (algorithm == "LEAST_CONNECTIONS") {
        return "lc";
    }
    if (algorithm == "SOURCE_IP" || algorithm == "SOURCE_IP_PORT") {
        return "sh";
    }
    return "wrr";
}

const PoolInput* find_pool(const LoadBalancerInput& lb, const std::string& id) {
    for (const auto& p : lb.pools) {
        if (p.id == id) {
            return &p;
        }
    }
    return nullptr;
}

class LvsWriter {
  public:
    LvsWriter(const LoadBalancerInput& lb, const ListenerInput& listener, const PoolInput* pool)
        : lb_(lb), listener_(listener), pool_(pool) {
        if (pool_ != nullptr && pool_->healthmonitor && pool_->healthmonitor->admin_state_up &&
            !is_pending_delete(pool_->healthmonitor->provisioning_status)) {
            hm_ = &*pool_->healthmonitor;
        }
    }

    Result<std::string> write() {
        out_ = "# Configuration for Loadbalancer " + word(lb_.id) + "\n";
        out_ += listener_.admin_state_up
                    ? "# Configuration for Listener " + word(listener_.id) + "\n"
                    : "# Listener " + word(listener_.id) + " is disabled\n";
        out_ += "\nnet_namespace amphora-haproxy\n\n";
        if (lb_.admin_state_up && listener_.admin_state_up) {
            virtual_servers();
            if (pool_ == nullptr) {
                out_ += "\n";  // the template's empty proxies block
            }
        }
        if (!bad_.empty()) {
            return make_error("cannot render the LVS configuration of listener " + listener_.id +
                              ": " + bad_ + " is not one keepalived word");
        }
        return out_;
    }

  private:
    std::string word(const std::string& s) {
        if (!plain_word(s) && bad_.empty()) {
            bad_ = "'" + s + "'";
        }
        return s;
    }

    void virtual_servers() {
        if (pool_ == nullptr) {
            return;
        }
        std::vector<std::string> vips{lb_.vip_address};
        vips.insert(vips.end(), lb_.additional_vips.begin(), lb_.additional_vips.end());
        for (int version : {4, 6}) {
            std::string group;
            for (const auto& vip : vips) {
                if (!vip.empty() && ip_version(vip) == version) {
                    group +=
                        "    " + word(vip) + " " + std::to_string(listener_.protocol_port) + "\n";
                }
            }
            if (group.empty()) {
                continue;
            }
            std::string name = "ipv" + std::to_string(version) + "-group";
            out_ += "virtual_server_group " + name + " {\n" + group + "}\n\n";
            out_ += "virtual_server group " + name + " {\n";
            out_ += "    lb_algo " + lb_algo(pool_->lb_algorithm) + "\n";
            if (pool_->lb_algorithm == "SOURCE_IP_PORT") {
                out_ += "    sh-port\n";
            }
            out_ += "    lb_kind NAT\n    protocol " + listener_.protocol + "\n";
            persistence(version);
            if (hm_ != nullptr) {
                out_ += "    delay_loop " + std::to_string(hm_->delay) + "\n";
                out_ += "    delay_before_retry " + std::to_string(hm_->delay) + "\n";
                if (hm_->max_retries_down > 0) {
                    out_ += "    retry " + std::to_string(hm_->max_retries_down) + "\n";
                }
            }
            out_ += "\n\n";
            out_ += pool_->admin_state_up ? "    # Configuration for Pool " + word(pool_->id) + "\n"
                                          : "    # Pool " + word(pool_->id) + " is disabled\n";
            if (hm_ != nullptr) {
                out_ += "    # Configuration for HealthMonitor " + word(hm_->id) + "\n";
            }
            if (pool_->admin_state_up) {
                for (const auto& m : pool_->members) {
                    if (!is_pending_delete(m.provisioning_status) &&
                        ip_version(m.address) == version) {
                        real_server(m);
                    }
                }
            }
            out_ += "}\n\n";
        }
    }

    void persistence(int version) {
        const auto& sp = pool_->session_persistence;
        if (!sp || sp->type != "SOURCE_IP") {
            return;
        }
        int timeout = sp->persistence_timeout > 0 ? sp->persistence_timeout : 360;
        out_ += "    persistence_timeout " + std::to_string(timeout) + "\n";
        std::string granularity = !sp->persistence_granularity.empty()
                                      ? word(sp->persistence_granularity)
                                  : version == 4 ? "255.255.255.255"
                                                 : "128";
        out_ += "    persistence_granularity " + granularity + "\n";
    }

    void real_server(const MemberInput& m) {
        if (!m.admin_state_up) {
            out_ += "    # Member " + word(m.id) + " is disabled\n\n";
            return;
        }
        out_ += "    # Configuration for Member " + word(m.id) + "\n";
        out_ +=
            "    real_server " + word(m.address) + " " + std::to_string(m.protocol_port) + " {\n";
        out_ += "        weight " + std::to_string(m.weight) + "\n";
        if (listener_.connection_limit > 0) {
            out_ += "        uthreshold " + std::to_string(listener_.connection_limit) + "\n";
        }
        if (hm_ != nullptr) {
            check(m);
        }
        out_ += "    }\n\n";
    }

    void check(const MemberInput& m) {
        std::string ip = word(m.monitor_address.empty() ? m.address : m.monitor_address);
        std::string port = std::to_string(m.monitor_port != 0 ? m.monitor_port : m.protocol_port);
        std::string timeout = std::to_string(hm_->timeout);
        if (hm_->type == "UDP-CONNECT") {
            out_ += "        MISC_CHECK {\n";
            out_ += "            misc_path \"" + std::string(kUdpCheckScript) + " " + ip + " " +
                    port + "\"\n";
            out_ += "            misc_timeout " + timeout + "\n        }\n";
        } else if (hm_->type == "SCTP") {
            out_ += "        MISC_CHECK {\n";
            out_ += "            misc_path \"amphora-health-checker sctp -t " + timeout + " " + ip +
                    " " + port + "\"\n";
            out_ +=
                "            misc_timeout " + std::to_string(hm_->timeout + 1) + "\n        }\n";
        } else if (hm_->type == "HTTP" && hm_->http_method == "GET") {
            out_ += "        HTTP_GET {\n";
            auto codes = expand_expected_codes(hm_->expected_codes);
            for (const auto& code : codes ? *codes : std::vector<std::string>{"200"}) {
                out_ += "            url {\n              path " + word(hm_->url_path) +
                        "\n              status_code " + code + "\n            }\n";
            }
            connect(ip, port, timeout);
        } else if (hm_->type == "TCP") {
            out_ += "        TCP_CHECK {\n";
            connect(ip, port, timeout);
        }
    }

    void connect(const std::string& ip, const std::string& port, const std::string& timeout) {
        out_ += "            connect_ip " + ip + "\n            connect_port " + port +
                "\n            connect_timeout " + timeout + "\n        }\n";
    }

    const LoadBalancerInput& lb_;
    const ListenerInput& listener_;
    const PoolInput* pool_;
    const HealthMonitorInput* hm_ = nullptr;
    std::string out_;
    std::string bad_;
};

}  // namespace

bool is_lvs_listener(const ListenerInput& listener) {
    return listener.protocol == "UDP" || listener.protocol == "SCTP";
}

Result<std::string> render_lvs_cfg(const LoadBalancerInput& lb, const std::string& listener_id) {
    for (const auto& listener : lb.listeners) {
        if (listener.id != listener_id) {
            continue;
        }
        if (!is_lvs_listener(listener)) {
            return make_error("listener " + listener_id + " is not UDP or SCTP");
        }
        const PoolInput* pool = nullptr;
        if (!listener.default_pool_id.empty()) {
            pool = find_pool(lb, listener.default_pool_id);
            if (pool != nullptr && is_pending_delete(pool->provisioning_status)) {
                pool = nullptr;
            }
        }
        return LvsWriter(lb, listener, pool).write();
    }
    return make_error("no listener " + listener_id + " in load balancer " + lb.id);
}

}  // namespace octane::render
