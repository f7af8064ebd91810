#include "model/resource_specs.h"

#include "model/quota.h"

namespace octane::model {
namespace {

using nlohmann::json;
using T = FieldType;

FieldSpec str(const char* name, OnPost post, OnPut put, size_t max_length = 255,
              json default_value = nullptr) {
    FieldSpec f{name, T::kString, post, put, std::move(default_value)};
    f.max_length = max_length;
    return f;
}
FieldSpec typed(const char* name, T type, OnPost post, OnPut put, json default_value = nullptr,
                PutNull put_null = PutNull::kClear) {
    return FieldSpec{name, type, post, put, std::move(default_value), put_null};
}
FieldSpec integer(const char* name, OnPost post, OnPut put, int64_t min, int64_t max,
                  json default_value = nullptr, PutNull put_null = PutNull::kClear) {
    FieldSpec f{name, T::kInt, post, put, std::move(default_value), put_null};
    f.min = min;
    f.max = max;
    return f;
}
FieldSpec one_of(const char* name, std::vector<std::string> values, OnPost post, OnPut put,
                 json default_value = nullptr, PutNull put_null = PutNull::kClear) {
    FieldSpec f{name, T::kEnum, post, put, std::move(default_value), put_null};
    f.values = std::move(values);
    return f;
}
FieldSpec children(const char* name, T type = T::kList) {
    FieldSpec f{name, type, OnPost::kOptional, OnPut::kForbidden};
    f.stored = false;
    return f;
}
FieldSpec tags() {
    FieldSpec f{"tags",           T::kStringList, OnPost::kOptional,
                OnPut::kOptional, json::array(),  PutNull::kDefault};
    return f;
}
FieldSpec admin_state_up() {
    return typed("admin_state_up", T::kBool, OnPost::kOptional, OnPut::kOptional, true,
                 PutNull::kDefault);
}
FieldSpec project_id() {
    // Accepted on POST (admins may create for other projects); not a stored attribute because
    // it lives in its own column.
    FieldSpec f = str("project_id", OnPost::kOptional, OnPut::kForbidden, 36);
    f.stored = false;
    return f;
}
FieldSpec tenant_id() {
    FieldSpec f = project_id();
    f.name = "tenant_id";
    return f;
}

constexpr auto M = OnPost::kMandatory;
constexpr auto O = OnPost::kOptional;
constexpr auto PO = OnPut::kOptional;
constexpr auto PX = OnPut::kForbidden;

const std::vector<std::string> kPoolProtocols = {"HTTP", "HTTPS", "PROXY", "PROXYV2",
                                                 "TCP",  "UDP",   "SCTP"};
const std::vector<std::string> kAlgorithms = {"ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP",
                                              "SOURCE_IP_PORT"};
const std::vector<std::string> kTlsVersions = {"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
const std::vector<std::string> kAlpn = {"h2", "http/1.1", "http/1.0"};

FieldSpec enum_list(const char* name, const std::vector<std::string>& values) {
    FieldSpec f{name, T::kEnumList, O, PO, nullptr, PutNull::kDefault};
    f.values = values;
    return f;
}

}  // namespace

const ResourceSpec& load_balancer_spec() {
    static const ResourceSpec spec{
        "loadbalancer",
        "loadbalancers",
        "loadbalancers_links",
        "load_balancer.loadbalancer",
        "load_balancer.loadbalancer",
        {str("name", O, PO, 255, ""), str("description", O, PO, 255, ""), admin_state_up(),
         project_id(), tenant_id(), typed("vip_address", T::kIp, O, PX),
         typed("vip_port_id", T::kUuid, O, PX), typed("vip_subnet_id", T::kUuid, O, PX),
         typed("vip_network_id", T::kUuid, O, PX), typed("vip_qos_policy_id", T::kUuid, O, PO),
         typed("vip_sg_ids", T::kUuidList, O, PO, json::array(), PutNull::kDefault),
         typed("additional_vips", T::kList, O, PX, json::array()), str("provider", O, PX, 64),
         typed("flavor_id", T::kUuid, O, PX), str("availability_zone", O, PX), tags(),
         children("listeners"), children("pools")}};
    return spec;
}

const ResourceSpec& listener_spec() {
    static const ResourceSpec spec{
        "listener",
        "listeners",
        "listeners_links",
        "listener_.listener",
        "listener_.listener",
        {str("name", O, PO, 255, ""),
         str("description", O, PO, 255, ""),
         admin_state_up(),
         project_id(),
         tenant_id(),
         typed("loadbalancer_id", T::kUuid, M, PX),
         one_of("protocol",
                {"HTTP", "HTTPS", "TCP", "TERMINATED_HTTPS", "UDP", "SCTP", "PROMETHEUS"}, M, PX),
         integer("protocol_port", M, PX, 1, 65535),
         integer("connection_limit", O, PO, -1, 2147483647, -1, PutNull::kDefault),
         typed("default_pool_id", T::kUuid, O, PO),
         children("default_pool", T::kObject),
         children("l7policies"),
         typed("insert_headers", T::kStringMap, O, PO, json::object(), PutNull::kDefault),
         integer("timeout_client_data", O, PO, 0, kMaxTimeout, kDefaultTimeoutClientData,
                 PutNull::kDefault),
         integer("timeout_member_connect", O, PO, 0, kMaxTimeout, kDefaultTimeoutMemberConnect,
                 PutNull::kDefault),
         integer("timeout_member_data", O, PO, 0, kMaxTimeout, kDefaultTimeoutMemberData,
                 PutNull::kDefault),
         integer("timeout_tcp_inspect", O, PO, 0, kMaxTimeout, kDefaultTimeoutTcpInspect,
                 PutNull::kDefault),
         str("default_tls_container_ref", O, PO),
         typed("sni_container_refs", T::kStringList, O, PO, json::array(), PutNull::kDefault),
         str("client_ca_tls_container_ref", O, PO),
         one_of("client_authentication", {"NONE", "OPTIONAL", "MANDATORY"}, O, PO, "NONE",
                PutNull::kDefault),
         str("client_crl_container_ref", O, PO),
         typed("allowed_cidrs", T::kCidrList, O, PO),
         str("tls_ciphers", O, PO, 2048),
         enum_list("tls_versions", kTlsVersions),
         enum_list("alpn_protocols", kAlpn),
         integer("hsts_max_age", O, PO, 0, 2147483647),
         typed("hsts_include_subdomains", T::kBool, O, PO, false, PutNull::kDefault),
         typed("hsts_preload", T::kBool, O, PO, false, PutNull::kDefault),
         tags()}};
    return spec;
}

const ResourceSpec& pool_spec() {
    static const ResourceSpec spec{
        "pool",
        "pools",
        "pools_links",
        "pool_.pool",
        "pool_.pool",
        {str("name", O, PO, 255, ""),
         str("description", O, PO, 255, ""),
         admin_state_up(),
         project_id(),
         tenant_id(),
         typed("loadbalancer_id", T::kUuid, O, PX),
         typed("listener_id", T::kUuid, O, PX),
         one_of("protocol", kPoolProtocols, M, PX),
         one_of("lb_algorithm", kAlgorithms, M, PO, nullptr, PutNull::kReject),
         typed("session_persistence", T::kObject, O, PO),
         children("healthmonitor", T::kObject),
         children("members"),
         typed("tls_enabled", T::kBool, O, PO, false, PutNull::kDefault),
         str("tls_container_ref", O, PO),
         str("ca_tls_container_ref", O, PO),
         str("crl_container_ref", O, PO),
         str("tls_ciphers", O, PO, 2048),
         enum_list("tls_versions", kTlsVersions),
         enum_list("alpn_protocols", kAlpn),
         tags()}};
    return spec;
}

const ResourceSpec& member_spec() {
    static const ResourceSpec spec{
        "member",
        "members",
        "members_links",
        "member_.member",
        "member_.member",
        {str("name", O, PO, 255, ""), admin_state_up(), project_id(), tenant_id(),
         typed("address", T::kIp, M, PX), integer("protocol_port", M, PX, 1, 65535),
         integer("weight", O, PO, 0, 256, 1, PutNull::kDefault),
         typed("backup", T::kBool, O, PO, false, PutNull::kDefault),
         typed("subnet_id", T::kUuid, O, PX), typed("monitor_address", T::kIp, O, PO),
         integer("monitor_port", O, PO, 1, 65535),
         [] {
             FieldSpec f{"request_sriov", T::kBool, O, PX, false};
             f.stored = false;
             return f;
         }(),
         tags()}};
    return spec;
}

const ResourceSpec& health_monitor_spec() {
    static const ResourceSpec spec{
        "healthmonitor",
        "healthmonitors",
        "healthmonitors_links",
        "health_monitor_.healthmonitor",
        "health_monitor_.healthmonitor",
        {str("name", O, PO, 255, ""), admin_state_up(), project_id(), tenant_id(),
         typed("pool_id", T::kUuid, M, PX),
         one_of("type", {"HTTP", "HTTPS", "PING", "TCP", "TLS-HELLO", "UDP-CONNECT", "SCTP"}, M,
                PX),
         integer("delay", M, PO, 0, 2147483647, nullptr, PutNull::kReject),
         integer("timeout", M, PO, 0, 2147483647, nullptr, PutNull::kReject),
         integer("max_retries", M, PO, 1, 10, nullptr, PutNull::kReject),
         integer("max_retries_down", O, PO, 1, 10, 3, PutNull::kDefault),
         one_of("http_method",
                {"GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"}, O,
                PO),
         [] {
             FieldSpec f{"url_path", T::kUrlPath, O, PO};
             f.max_length = 2048;
             return f;
         }(),
         str("expected_codes", O, PO, 64), typed("http_version", T::kHttpVersion, O, PO),
         str("domain_name", O, PO, 255), tags()}};
    return spec;
}

const ResourceSpec& l7policy_spec() {
    static const ResourceSpec spec{
        "l7policy",
        "l7policies",
        "l7policies_links",
        "l7policy_.l7policy",
        "l7policy_.l7policy",
        {str("name", O, PO, 255, ""), str("description", O, PO, 255, ""), admin_state_up(),
         project_id(), tenant_id(), typed("listener_id", T::kUuid, M, PX),
         one_of("action", {"REJECT", "REDIRECT_TO_URL", "REDIRECT_TO_POOL", "REDIRECT_PREFIX"}, M,
                PO, nullptr, PutNull::kReject),
         typed("redirect_pool_id", T::kUuid, O, PO), children("redirect_pool", T::kObject),
         [] {
             FieldSpec f{"redirect_url", T::kUrl, O, PO};
             return f;
         }(),
         [] {
             FieldSpec f{"redirect_prefix", T::kUrl, O, PO};
             return f;
         }(),
         integer("redirect_http_code", O, PO, 301, 308),
         integer("position", O, PO, 1, kMaxL7PolicyPosition, kMaxL7PolicyPosition,
                 PutNull::kDefault),
         children("rules"), tags()}};
    return spec;
}

const ResourceSpec& l7rule_spec() {
    static const ResourceSpec spec{
        "rule",
        "rules",
        "rules_links",
        "rule_.rule",
        "rule_.rule",
        {admin_state_up(), project_id(), tenant_id(),
         one_of("type",
                {"HOST_NAME", "PATH", "FILE_TYPE", "HEADER", "COOKIE", "SSL_CONN_HAS_CERT",
                 "SSL_VERIFY_RESULT", "SSL_DN_FIELD"},
                M, PO, nullptr, PutNull::kReject),
         one_of("compare_type", {"REGEX", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "EQUAL_TO"}, M,
                PO, nullptr, PutNull::kReject),
         str("key", O, PO),
         [] {
             FieldSpec f = str("value", M, PO);
             f.put_null = PutNull::kReject;
             return f;
         }(),
         typed("invert", T::kBool, O, PO, false, PutNull::kDefault), tags()}};
    return spec;
}

const ResourceSpec& quota_spec() {
    static const ResourceSpec spec = [] {
        ResourceSpec s{"quota", "quotas", "quotas_links", "quotas.quota", "quotas.quota", {}};
        for (const char* name : {"loadbalancer", "load_balancer", "listener", "member", "pool",
                                 "healthmonitor", "health_monitor", "l7policy", "l7rule"}) {
            s.fields.push_back(integer(name, O, PO, kQuotaUnlimited, kQuotaMax));
        }
        return s;
    }();
    return spec;
}

const ResourceSpec& flavor_spec() {
    static const ResourceSpec spec{"flavor",
                                   "flavors",
                                   "flavors_links",
                                   "flavor_.flavor",
                                   "flavor_.flavor",
                                   {str("name", M, PO), str("description", O, PO, 255, ""),
                                    typed("enabled", T::kBool, O, PO, true, PutNull::kDefault),
                                    typed("flavor_profile_id", T::kUuid, M, PX)}};
    return spec;
}

const ResourceSpec& flavor_profile_spec() {
    static const ResourceSpec spec{"flavorprofile",
                                   "flavorprofiles",
                                   "flavorprofile_links",
                                   "flavorprofile_.flavorprofile",
                                   "flavorprofile_.flavorprofile",
                                   {[] {
                                        FieldSpec f = str("name", M, PO);
                                        f.put_null = PutNull::kReject;
                                        return f;
                                    }(),
                                    [] {
                                        FieldSpec f = str("provider_name", M, PO);
                                        f.put_null = PutNull::kReject;
                                        return f;
                                    }(),
                                    [] {
                                        FieldSpec f{"flavor_data", T::kJsonText,    M, PO,
                                                    nullptr,       PutNull::kReject};
                                        f.max_length = 4096;
                                        return f;
                                    }()}};
    return spec;
}

const ResourceSpec& availability_zone_spec() {
    static const ResourceSpec spec{"availability_zone",
                                   "availability_zones",
                                   "availability_zones_links",
                                   "availability_zone_.availability_zone",
                                   "availability_zone_.availability_zone",
                                   {str("name", M, PX), str("description", O, PO, 255, ""),
                                    typed("enabled", T::kBool, O, PO, true, PutNull::kDefault),
                                    typed("availability_zone_profile_id", T::kUuid, M, PX)}};
    return spec;
}

const ResourceSpec& availability_zone_profile_spec() {
    static const ResourceSpec spec{
        "availability_zone_profile",
        "availability_zone_profiles",
        "availability_zone_profile_links",
        "availability_zone_profile_.availability_zone_profile",
        "availability_zone_profile_.availability_zone_profile",
        {[] {
             FieldSpec f = str("name", M, PO);
             f.put_null = PutNull::kReject;
             return f;
         }(),
         [] {
             FieldSpec f = str("provider_name", M, PO);
             f.put_null = PutNull::kReject;
             return f;
         }(),
         [] {
             FieldSpec f{"availability_zone_data", T::kJsonText, M, PO, nullptr, PutNull::kReject};
             f.max_length = 4096;
             return f;
         }()}};
    return spec;
}

}  // namespace octane::model
