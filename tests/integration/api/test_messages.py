"""Exact fault strings of the reference Octavia 11 for validation failures (probed 2026-11-26, noauth
API). Clients and tempest match on these texts.
"""
import pytest

import octane_server as h

CASES = [
    ("tls-listener-no-cert", "/v2/lbaas/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "TERMINATED_HTTPS", "protocol_port": 443}},
     "Validation failure: An SNI or default certificate container reference must be provided for "
     "TERMINATED_HTTPS protocol listeners."),
    ("insert-headers-tcp", "/v2/lbaas/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "TCP", "protocol_port": 444,
                   "insert_headers": {"X-Forwarded-For": "true"}}},
     "insert-headers is not a valid option for a TCP protocol listener."),
    ("insert-headers-udp", "/v2/lbaas/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "UDP", "protocol_port": 445,
                   "insert_headers": {"X-Forwarded-For": "true"}}},
     "insert-headers is not a valid option for a UDP protocol listener."),
    ("cert-on-http", "/v2/lbaas/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 446, "default_tls_container_ref": "x"}},
     "Validation failure: Certificate container references are not allowed on HTTP protocol listeners."),
    ("udp-pool-http-cookie", "/v2/lbaas/pools",
     {"pool": {"loadbalancer_id": "{lb}", "protocol": "UDP", "lb_algorithm": "ROUND_ROBIN",
               "session_persistence": {"type": "HTTP_COOKIE"}}},
     "Validation failure: Session persistence of type HTTP_COOKIE is not supported for UDP/SCTP protocol pools."),
    ("app-cookie-no-name", "/v2/lbaas/pools",
     {"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
               "session_persistence": {"type": "APP_COOKIE"}}},
     'Validation failure: Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.'),
    ("cookie-name-not-app", "/v2/lbaas/pools",
     {"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
               "session_persistence": {"type": "HTTP_COOKIE", "cookie_name": "x"}}},
     'Validation failure: Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE".'),
    ("pool-no-parent", "/v2/lbaas/pools", {"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}},
     "Validation failure: Must provide at least one of: loadbalancer_id, listener_id"),
    ("hm-domain-no-version", "/v2/lbaas/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2,
                        "domain_name": "a.example"}},
     "Validation failure: 'http_version' must be specified when 'domain_name' is provided."),
    ("hm-domain-http10", "/v2/lbaas/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2,
                        "http_version": 1.0, "domain_name": "a.example"}},
     "http_version 1.0 is not a valid option for health monitors HTTP 1.1 domain name health check"),
    ("hm-udp-connect-on-http", "/v2/lbaas/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "UDP-CONNECT", "delay": 5, "timeout": 3, "max_retries": 2}},
     "Validation failure: The UDP-CONNECT type is only supported for pools of type UDP/SCTP."),
    ("hm-url-path-on-tcp", "/v2/lbaas/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 2, "url_path": "/x"}},
     "url_path is not a valid option for health monitors of type TCP"),
    ("l7-no-url", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_URL"}},
     "Invalid L7 Policy arguments: redirect_url must not be None"),
    ("l7-no-prefix", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_PREFIX"}},
     "Invalid L7 Policy arguments: redirect_prefix must not be None"),
    ("l7-no-pool", "/v2/lbaas/l7policies", {"l7policy": {"listener_id": "{li}", "action": "REDIRECT_TO_POOL"}},
     "Invalid L7 Policy arguments: redirect_pool_id or redirect_pool must not be None"),
    ("rule-header-no-key", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "HEADER", "compare_type": "EQUAL_TO", "value": "v"}},
     "Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a key"),
    ("rule-file-type-compare", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "FILE_TYPE", "compare_type": "STARTS_WITH", "value": "jpg"}},
     "Error parsing L7Rule: Invalid L7 Rule: invalid comparison type for rule type"),
    ("rule-ssl-cert-false", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "SSL_CONN_HAS_CERT", "compare_type": "EQUAL_TO", "value": "false"}},
     "Error parsing L7Rule: Invalid L7 Rule: L7rule value false is not a boolean True string."),
    ("rule-regex", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "PATH", "compare_type": "REGEX", "value": "a(b"}},
     # the tail is Python's re error text (engine specific); the reference's prefix is what is portable
     ("startswith", "Error parsing L7Rule: Unable to parse regular expression: ")),
    ("rule-value-charset", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "PATH", "compare_type": "EQUAL_TO", "value": "a b"}},
     "Error parsing L7Rule: Invalid characters in comparison value"),
    ("rule-verify-result", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "SSL_VERIFY_RESULT", "compare_type": "EQUAL_TO", "value": "abc"}},
     "Error parsing L7Rule: Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT needs a int value, which is >= 0"),
    ("rule-dn-no-key", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "SSL_DN_FIELD", "compare_type": "EQUAL_TO", "value": "x"}},
     "Error parsing L7Rule: Invalid L7 Rule: L7rule type SSL_DN_FIELD needs to specify a key and a value."),
    ("rule-cert-key", "/v2/lbaas/l7policies/{pol}/rules",
     {"rule": {"type": "SSL_CONN_HAS_CERT", "compare_type": "EQUAL_TO", "key": "k", "value": "true"}},
     'Error parsing L7Rule: Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT does not use the "key" field.'),
    ("member-reserved-ip", "/v2/lbaas/pools/{pool}/members",
     {"member": {"address": "169.254.169.254", "protocol_port": 80}},
     "169.254.169.254 is not a valid option for member address"),
]


@pytest.fixture(scope="module")
def objs(c):
    lb = h.create_lb(c)
    li = h.create_listener(c, lb["id"], "HTTP", 80)
    pool = h.create_pool(c, lb["id"], "HTTP")
    pol = h.create_l7policy(c, lb["id"], li["id"])
    return {"lb": lb["id"], "li": li["id"], "pool": pool["id"], "pol": pol["id"]}


def fill(s, objs):
    for k, v in objs.items():
        s = s.replace("{%s}" % k, v)
    return s


@pytest.mark.parametrize("path,body,message", [pytest.param(p, b, m, id=i) for i, p, b, m in CASES])
def test_reference_fault_string(c, objs, path, body, message):
    import json
    h.wait_lb(c, objs["lb"])
    r = c.request("POST", fill(path, objs), raw=fill(json.dumps(body), objs).encode())
    if isinstance(message, tuple):
        h.assert_fault(r, 400, **{message[0]: message[1]})
    else:
        h.assert_fault(r, 400, message)
