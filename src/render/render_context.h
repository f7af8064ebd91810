#pragma once

// What the renderer needs besides the load balancer graph: where the amphora keeps its files, which
// engine version it runs, its topology and peers. Defaults reproduce Octavia's amphora defaults
// ([haproxy_amphora] base_path /var/lib/octavia, default_connection_limit 50000, haproxy 2.6).

#include <string>
#include <utility>
#include <vector>

namespace octane::render {

enum class Topology { kSingle, kActiveStandby };

// One amphora of the load balancer, as the peers section needs it (ACTIVE_STANDBY only).
struct AmphoraPeer {
    std::string id;                    // amphora id; the peer name is peer_name(id)
    std::string vrrp_ip;               // address the peer listens on
    std::string status = "ALLOCATED";  // only ALLOCATED amphorae become peers
};

struct RenderContext {
    std::string amphora_id;  // the amphora this file is for (informational; peers use `amphorae`)
    Topology topology = Topology::kSingle;
    std::vector<AmphoraPeer> amphorae;  // every amphora of the LB (ACTIVE_STANDBY peers)
    int peer_port = 1025;               // Octavia HAPROXY_BASE_PEER_PORT

    // Paths: stats socket <base_dir>/<lb_id>.sock, server state <base_dir>/<lb_id>/servers-state,
    // PING wrapper <base_dir>/ping-wrapper.sh, certificates <cert_dir>/<lb_id>/...
    std::string base_dir = "/var/lib/octavia";
    std::string cert_dir;  // empty = <base_dir>/certs
    // Overrides, empty = the Octavia paths above. A unix socket path must fit sun_path (107
    // bytes): <state>/amphorae/<amp id>/<lb id>.sock usually does not, so pass a short one.
    std::string stats_socket;
    std::string server_state_file;
    std::string log_target = "/run/rsyslog/octavia/log";
    int user_log_facility = 0;
    int administrative_log_facility = 1;
    bool connection_logging = true;
    std::string user_log_format =
        "{{ project_id }} {{ lb_id }} %f %ci %cp %t %{+Q}r %ST %B %U %[ssl_c_verify] "
        "%{+Q}[ssl_c_s_dn] %b %s %Tt %tsc";

    std::string user = "nobody";
    std::string group;  // emitted as `group <g>` only when set (Octavia's agent adds it itself)

    int default_connection_limit = 50000;  // per listener when connection_limit is -1
    int max_global_maxconn = 1000000;      // Octavia HAPROXY_MAX_MAXCONN
    std::string stick_size = "10k";

    int haproxy_major = 2;  // feature switches follow Octavia's version checks
    int haproxy_minor = 6;

    std::string prometheus_bind = "127.0.0.1:9101";
    std::string prometheus_server = "127.0.0.1:9102";

    // TLS material the controller uploaded: container ref -> file name under <cert_dir>/<lb_id>/
    // (listener client CA / CRL, pool client cert / CA / CRL). Listener server certificates are
    // always the crt-list <cert_dir>/<lb_id>/<listener_id>.pem.
    std::vector<std::pair<std::string, std::string>> secret_files;
};

}  // namespace octane::render
