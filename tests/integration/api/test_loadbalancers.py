"""Load balancers: create/show/update/delete, status tree, stats, failover, cascade delete, graph create.

Facts: docs/octavia-api.md §2.3, §2.11, §3; the reference Octavia 11 (probed).
"""
import pytest

import octane_server as h
from octane_server import LB, LISTENERS, POOLS, SUBNET_ID

LB_KEYS = {"id", "name", "description", "provisioning_status", "operating_status", "admin_state_up",
           "project_id", "tenant_id", "created_at", "updated_at", "vip_address", "vip_port_id",
           "vip_subnet_id", "vip_network_id", "vip_qos_policy_id", "additional_vips", "listeners",
           "pools", "provider", "flavor_id", "availability_zone", "tags"}


def lb_path(lb_id, suffix=""):
    return "%s/%s%s" % (LB, lb_id, suffix)


def test_create_response_fields_and_defaults(c, project):
    r = c.post(LB, {"loadbalancer": {"name": "lb-a", "vip_subnet_id": SUBNET_ID}})
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    assert LB_KEYS <= set(lb), LB_KEYS - set(lb)
    assert h.UUID_RE.match(lb["id"])
    assert lb["name"] == "lb-a"
    assert lb["description"] == ""
    assert lb["provisioning_status"] == "PENDING_CREATE"
    assert lb["operating_status"] == "OFFLINE"
    assert lb["admin_state_up"] is True
    assert lb["project_id"] == project and lb["tenant_id"] == project
    assert h.TIMESTAMP_RE.match(lb["created_at"]), lb["created_at"]
    assert lb["updated_at"] is None
    assert lb["vip_address"] == "198.51.100.1"
    assert lb["vip_subnet_id"] == SUBNET_ID
    assert h.UUID_RE.match(lb["vip_port_id"]) and h.UUID_RE.match(lb["vip_network_id"])
    assert lb["vip_qos_policy_id"] is None
    assert lb["additional_vips"] == []
    assert lb["listeners"] == [] and lb["pools"] == []
    assert lb["provider"] == "amphora"
    assert lb["flavor_id"] is None and lb["availability_zone"] is None
    assert lb["tags"] == []
    done = h.wait_lb(c, lb["id"])
    assert done["provisioning_status"] == "ACTIVE"
    # no heartbeats with noop amphorae: the reference keeps the LB OFFLINE
    assert done["operating_status"] == "OFFLINE"
    assert h.TIMESTAMP_RE.match(done["updated_at"]), done
    assert done["created_at"] == lb["created_at"]
    for k in ("vip_address", "vip_port_id", "vip_network_id", "vip_subnet_id"):
        assert done[k] == lb[k], k


def test_additional_vips_with_the_noop_network(c):
    """Without a networking surface (noop driver) the additional VIPs are echoed: the given address
    (as given, as Octavia's IPAddressType keeps it) or the VIP's, no port, the VIP network; shape and
    duplicates checked first."""
    other = "22222222-3333-4444-5555-666666666666"
    third = "33333333-4444-5555-6666-777777777777"
    r = c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID, "additional_vips": [
        {"subnet_id": other, "ip_address": "fd00:0::5"}, {"subnet_id": third}]}})
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    assert lb["additional_vips"] == [
        {"subnet_id": other, "ip_address": "fd00:0::5", "port_id": None, "network_id": lb["vip_network_id"]},
        {"subnet_id": third, "ip_address": lb["vip_address"], "port_id": None,
         "network_id": lb["vip_network_id"]}]
    h.wait_lb(c, lb["id"])
    for extras, text in (([{"subnet_id": SUBNET_ID}], "Validation failure: Duplicate VIP or additional VIP "
                                                        "subnet(s) detected: " + SUBNET_ID),
                         ([{"subnet_id": other}, {"subnet_id": other}],
                          "Validation failure: Duplicate VIP or additional VIP subnet(s) detected: " + other),
                         ([{"subnet_id": other, "ip_address": "x"}],
                          "Invalid input for field/attribute ip_address. Value: 'x'. Value should be IPv4 or "
                          "IPv6 format")):
        h.assert_fault(c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID, "additional_vips": extras}}),
                       400, text)


def test_create_with_vip_address_and_fields(c):
    r = c.post(LB, {"loadbalancer": {"name": "lb-b", "description": "d", "vip_subnet_id": SUBNET_ID,
                                     "vip_address": "10.0.0.5", "admin_state_up": False,
                                     "tags": ["x", "y"]}})
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    assert lb["vip_address"] == "10.0.0.5"
    assert lb["description"] == "d"
    assert lb["admin_state_up"] is False
    assert sorted(lb["tags"]) == ["x", "y"]
    got = h.wait_lb(c, lb["id"])
    assert got["admin_state_up"] is False and got["vip_address"] == "10.0.0.5"


def test_vip_network_only_and_ipv6_address(c):
    """noop network driver (reference): a network alone gets an invented subnet and 198.51.100.1."""
    net = "22222222-2222-3333-4444-555555555555"
    r = c.post(LB, {"loadbalancer": {"vip_network_id": net}})
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    assert lb["vip_network_id"] == net and lb["vip_address"] == "198.51.100.1"
    assert h.UUID_RE.match(lb["vip_subnet_id"]) and h.UUID_RE.match(lb["vip_port_id"])
    r = c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID, "vip_address": "2001:db8::5"}})
    assert r.status == 201, r
    assert r.json["loadbalancer"]["vip_address"] == "2001:db8::5"
    for x in (lb["id"], r.json["loadbalancer"]["id"]):
        assert h.wait_lb(c, x)["provisioning_status"] == "ACTIVE"


def test_vip_port_ids_are_distinct_per_lb(c):
    a = h.create_lb(c)
    b = h.create_lb(c)
    assert a["vip_port_id"] != b["vip_port_id"]


def test_project_from_body_overrides_header(c):
    r = c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID, "project_id": "body-project"}})
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    assert lb["project_id"] == "body-project" and lb["tenant_id"] == "body-project"
    r = c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID, "tenant_id": "tenant-project"}})
    assert r.status == 201, r
    assert r.json["loadbalancer"]["project_id"] == "tenant-project"
    assert r.json["loadbalancer"]["tenant_id"] == "tenant-project"
    for lb_id in (lb["id"], r.json["loadbalancer"]["id"]):
        h.wait_lb(c, lb_id)
        h.cascade_delete(c, lb_id, wait=False)


def test_missing_project_is_400(server):
    anon = h.Client(server, project=None)
    r = anon.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID}})
    h.assert_fault(r, 400, "Validation failure: Missing project ID in request where one is required. "
                           "An administrator should check the keystone settings in the Octavia configuration.")


def test_vip_required(c):
    r = c.post(LB, {"loadbalancer": {"name": "no-vip"}})
    h.assert_fault(r, 400, "Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.")


def test_show_update_delete(c):
    lb = h.create_lb(c, name="before")
    r = c.get(lb_path(lb["id"]))
    assert r.status == 200 and r.json["loadbalancer"]["name"] == "before"
    r = c.put(lb_path(lb["id"]), {"loadbalancer": {"name": "after", "description": "new",
                                                     "admin_state_up": False, "tags": ["t1"]}})
    assert r.status == 200, r
    upd = r.json["loadbalancer"]
    assert upd["name"] == "after" and upd["description"] == "new" and upd["admin_state_up"] is False
    assert upd["tags"] == ["t1"]
    assert upd["provisioning_status"] == "PENDING_UPDATE"
    got = h.wait_lb(c, lb["id"])
    assert got["name"] == "after" and got["admin_state_up"] is False
    # omitted fields are unchanged
    r = c.put(lb_path(lb["id"]), {"loadbalancer": {"description": "again"}})
    assert r.status == 200, r
    got = h.wait_lb(c, lb["id"])
    assert got["name"] == "after" and got["description"] == "again" and got["tags"] == ["t1"]
    # immutable fields are not accepted on PUT
    r = c.put(lb_path(lb["id"]), {"loadbalancer": {"vip_address": "10.1.1.1"}})
    h.assert_fault(r, 400, contains="vip_address")
    r = c.delete(lb_path(lb["id"]))
    assert r.status == 204, r
    assert r.text == ""
    r = c.get(lb_path(lb["id"]))
    if r.status == 200:
        assert r.json["loadbalancer"]["provisioning_status"] == "PENDING_DELETE"
    h.wait_gone(c, lb_path(lb["id"]))
    h.assert_fault(c.get(lb_path(lb["id"])), 404, "Load Balancer %s not found." % lb["id"])
    ids = [x["id"] for x in h.list_all(c, LB, "loadbalancers")]
    assert lb["id"] not in ids


def test_not_found(c):
    nil = "00000000-0000-0000-0000-000000000000"
    h.assert_fault(c.get(lb_path(nil)), 404, "Load Balancer %s not found." % nil)
    h.assert_fault(c.get(lb_path("not-a-uuid")), 404, "Load Balancer not-a-uuid not found.")
    h.assert_fault(c.put(lb_path(nil), {"loadbalancer": {"name": "x"}}), 404, "Load Balancer %s not found." % nil)
    h.assert_fault(c.delete(lb_path(nil)), 404, "Load Balancer %s not found." % nil)
    h.assert_fault(c.get(lb_path(nil, "/status")), 404, "Load Balancer %s not found." % nil)
    h.assert_fault(c.get(lb_path(nil, "/stats")), 404, "Load Balancer %s not found." % nil)
    h.assert_fault(c.put(lb_path(nil, "/failover")), 404, "Load Balancer %s not found." % nil)


def test_delete_with_children_is_400_then_cascade(c):
    lb = h.create_lb(c)
    li = h.create_listener(c, lb["id"], "TCP", 22)
    pool = h.create_pool(c, lb["id"], "TCP", listener_id=li["id"])
    m = h.create_member(c, lb["id"], pool["id"], "192.168.101.79", 22)
    r = c.delete(lb_path(lb["id"]))
    h.assert_fault(r, 400, "Validation failure: Cannot delete Load Balancer %s - it has children" % lb["id"])
    assert h.wait_lb(c, lb["id"])["provisioning_status"] == "ACTIVE"
    r = c.delete(lb_path(lb["id"]), params={"cascade": "true"})
    assert r.status == 204, r
    r = c.get(lb_path(lb["id"]))
    if r.status == 200:
        assert r.json["loadbalancer"]["provisioning_status"] == "PENDING_DELETE"
    h.wait_gone(c, lb_path(lb["id"]))
    h.assert_fault(c.get("%s/%s" % (LISTENERS, li["id"])), 404, "Listener %s not found." % li["id"])
    h.assert_fault(c.get("%s/%s" % (POOLS, pool["id"])), 404, "Pool %s not found." % pool["id"])
    assert c.get("%s/%s/members/%s" % (POOLS, pool["id"], m["id"])).status == 404
    assert li["id"] not in [x["id"] for x in h.list_all(c, LISTENERS, "listeners")]


def test_cascade_false_behaves_like_plain_delete(c):
    lb = h.create_lb(c)
    h.create_listener(c, lb["id"], "TCP", 23)
    r = c.delete(lb_path(lb["id"]), params={"cascade": "false"})
    h.assert_fault(r, 400, "Validation failure: Cannot delete Load Balancer %s - it has children" % lb["id"])
    h.cascade_delete(c, lb["id"])


def test_status_tree(c):
    lb = h.create_lb(c, name="tree-lb")
    li = h.create_listener(c, lb["id"], "TCP", 22, name="tree-li")
    li2 = h.create_listener(c, lb["id"], "HTTP", 80, name="tree-http")
    pool = h.create_pool(c, lb["id"], "TCP", listener_id=li["id"], name="tree-pool")
    m1 = h.create_member(c, lb["id"], pool["id"], "192.168.101.79", 22)
    hm = h.create_hm(c, lb["id"], pool["id"], "TCP", name="tree-hm")
    m2 = h.create_member(c, lb["id"], pool["id"], "192.168.101.88", 22, name="m2")
    # a pool attached to no listener does not appear in the tree
    h.create_pool(c, lb["id"], "HTTP", name="orphan")
    for suffix in ("/status", "/statuses"):
        r = c.get(lb_path(lb["id"], suffix))
        assert r.status == 200, r
        assert set(r.json) == {"statuses"}
        tlb = r.json["statuses"]["loadbalancer"]
        assert set(tlb) == {"id", "name", "operating_status", "provisioning_status", "listeners"}
        assert tlb["id"] == lb["id"] and tlb["name"] == "tree-lb"
        assert tlb["provisioning_status"] == "ACTIVE" and tlb["operating_status"] == "OFFLINE"
        lis = {x["id"]: x for x in tlb["listeners"]}
        assert set(lis) == {li["id"], li2["id"]}
        for x in lis.values():
            assert set(x) == {"id", "name", "operating_status", "provisioning_status", "pools"}
            assert x["provisioning_status"] == "ACTIVE" and x["operating_status"] == "OFFLINE"
        assert lis[li2["id"]]["pools"] == []
        assert lis[li["id"]]["name"] == "tree-li"
        pools = lis[li["id"]]["pools"]
        assert len(pools) == 1
        tp = pools[0]
        assert set(tp) == {"id", "name", "provisioning_status", "operating_status", "health_monitor", "members"}
        assert tp["id"] == pool["id"] and tp["name"] == "tree-pool"
        assert tp["provisioning_status"] == "ACTIVE" and tp["operating_status"] == "OFFLINE"
        assert tp["health_monitor"] == {"id": hm["id"], "name": "tree-hm", "type": "TCP",
                                        "provisioning_status": "ACTIVE", "operating_status": "ONLINE"}
        ms = {x["id"]: x for x in tp["members"]}
        assert set(ms) == {m1["id"], m2["id"]}
        # m1 existed before the HM: it stays NO_MONITOR (reference Octavia 11, no heartbeats)
        assert ms[m1["id"]] == {"id": m1["id"], "name": "", "operating_status": "NO_MONITOR",
                                "provisioning_status": "ACTIVE", "address": "192.168.101.79",
                                "protocol_port": 22}
        # m2 was created on a pool with an HM: it starts (and stays) OFFLINE
        assert ms[m2["id"]] == {"id": m2["id"], "name": "m2", "operating_status": "OFFLINE",
                                "provisioning_status": "ACTIVE", "address": "192.168.101.88",
                                "protocol_port": 22}
    h.cascade_delete(c, lb["id"], wait=False)


def test_status_tree_empty_lb_and_v20_alias(c):
    lb = h.create_lb(c)
    r = c.get("/v2.0/lbaas/loadbalancers/%s/status" % lb["id"])
    assert r.status == 200, r
    assert r.json == {"statuses": {"loadbalancer": {
        "id": lb["id"], "name": lb["name"], "operating_status": "OFFLINE",
        "provisioning_status": "ACTIVE", "listeners": []}}}


def test_stats(c):
    lb = h.create_lb(c)
    h.create_listener(c, lb["id"], "TCP", 22)
    r = c.get(lb_path(lb["id"], "/stats"))
    assert r.status == 200, r
    assert r.json == {"stats": {"bytes_in": 0, "bytes_out": 0, "active_connections": 0,
                                "total_connections": 0, "request_errors": 0}}


def test_failover(c):
    lb = h.create_lb(c)
    r = c.put(lb_path(lb["id"], "/failover"))
    assert r.status == 202, r
    assert r.text == ""
    got = c.get(lb_path(lb["id"])).json["loadbalancer"]
    assert got["provisioning_status"] in ("PENDING_UPDATE", "ACTIVE")
    # an immediate second failover either hits the lock or finds the LB ACTIVE again
    r2 = c.put(lb_path(lb["id"], "/failover"))
    if r2.status != 202:
        h.assert_fault(r2, 409, "Invalid state PENDING_UPDATE of loadbalancer resource %s" % lb["id"])
    done = h.wait_lb(c, lb["id"])
    assert done["vip_address"] == lb["vip_address"]


def test_immediate_second_change_hits_lock_or_succeeds(c):
    """Reference README: an immediate second POST gets 409 while the LB is PENDING_UPDATE."""
    lb = h.create_lb(c)
    r1 = c.post(LISTENERS, {"listener": {"loadbalancer_id": lb["id"], "protocol": "TCP", "protocol_port": 2222}})
    assert r1.status == 201, r1
    assert r1.json["listener"]["provisioning_status"] == "PENDING_CREATE"
    r2 = c.post(LISTENERS, {"listener": {"loadbalancer_id": lb["id"], "protocol": "TCP", "protocol_port": 2223}})
    if r2.status != 201:
        h.assert_fault(r2, 409, "Load Balancer %s is immutable and cannot be updated." % lb["id"])
    r3 = c.put(lb_path(lb["id"]), {"loadbalancer": {"name": "x"}})
    if r3.status != 200:
        h.assert_fault(r3, 409, regex=r"^Invalid state PENDING_UPDATE of loadbalancer resource %s$" % lb["id"])
    h.wait_lb(c, lb["id"])
    h.wait_active(c, "%s/%s" % (LISTENERS, r1.json["listener"]["id"]))


def test_lb_create_then_immediate_put_is_409_or_ok(c):
    r = c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID}})
    assert r.status == 201
    lb_id = r.json["loadbalancer"]["id"]
    r2 = c.put(lb_path(lb_id), {"loadbalancer": {"name": "quick"}})
    if r2.status != 200:
        h.assert_fault(r2, 409, "Invalid state PENDING_CREATE of loadbalancer resource %s" % lb_id)
    h.wait_lb(c, lb_id)


# ---------------------------------------------------------------------------------------------
# graph ("single call") create

@pytest.mark.reference_differs  # Octavia 11 + amphorav2 noop leaves graph children PENDING_CREATE forever
def test_graph_create_with_name_referenced_pools(c):
    body = {"loadbalancer": {
        "name": "graph-lb", "vip_subnet_id": SUBNET_ID,
        "listeners": [
            {"name": "g-http", "protocol": "HTTP", "protocol_port": 80,
             "default_pool": {"name": "g-pool"},
             "l7policies": [{"name": "g-pol", "action": "REDIRECT_TO_POOL",
                             "redirect_pool": {"name": "g-pool2"},
                             "rules": [{"type": "PATH", "compare_type": "STARTS_WITH", "value": "/api"}]}]},
            {"name": "g-tcp", "protocol": "TCP", "protocol_port": 22,
             "default_pool": {"name": "g-tcp-pool", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN",
                              "members": [{"address": "10.0.0.10", "protocol_port": 22}]}},
        ],
        "pools": [
            {"name": "g-pool", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
             "healthmonitor": {"type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2},
             "members": [{"address": "10.0.0.1", "protocol_port": 80},
                         {"address": "10.0.0.2", "protocol_port": 80, "weight": 5}]},
            {"name": "g-pool2", "protocol": "HTTP", "lb_algorithm": "LEAST_CONNECTIONS"},
        ]}}
    r = c.post(LB, body)
    assert r.status == 201, r
    lb = r.json["loadbalancer"]
    assert lb["provisioning_status"] == "PENDING_CREATE"
    # the response is the full graph: listeners and pools expanded
    assert sorted(x["name"] for x in lb["listeners"]) == ["g-http", "g-tcp"]
    assert sorted(x["name"] for x in lb["pools"]) == ["g-pool", "g-pool2", "g-tcp-pool"]
    h.wait_lb(c, lb["id"])

    def all_active():
        t = c.get(lb_path(lb["id"], "/status")).json["statuses"]["loadbalancer"]
        states = [li["provisioning_status"] for li in t["listeners"]]
        for li in t["listeners"]:
            for p in li["pools"]:
                states.append(p["provisioning_status"])
                states += [m["provisioning_status"] for m in p["members"]]
                if "health_monitor" in p:
                    states.append(p["health_monitor"]["provisioning_status"])
        return t if states and all(s == "ACTIVE" for s in states) else None
    # docs/octavia-api.md §3.2: LB create ends with the LB and every graph child ACTIVE
    tree = h.poll_until(all_active, timeout=h.DEFAULT_WAIT_S, what="graph children ACTIVE")
    lis = {x["name"]: x for x in tree["listeners"]}
    assert set(lis) == {"g-http", "g-tcp"}
    http_pools = {p["name"]: p for p in lis["g-http"]["pools"]}
    assert set(http_pools) == {"g-pool", "g-pool2"}  # default pool + redirect pool of a policy with a rule
    gp = http_pools["g-pool"]
    assert gp["health_monitor"]["type"] == "HTTP" and gp["health_monitor"]["provisioning_status"] == "ACTIVE"
    assert sorted(m["address"] for m in gp["members"]) == ["10.0.0.1", "10.0.0.2"]
    # members created together with their health monitor are OFFLINE, not NO_MONITOR (reference)
    assert all(m["operating_status"] == "OFFLINE" for m in gp["members"])
    tcp_pools = lis["g-tcp"]["pools"]
    assert [p["name"] for p in tcp_pools] == ["g-tcp-pool"]
    assert [m["address"] for m in tcp_pools[0]["members"]] == ["10.0.0.10"]
    assert tcp_pools[0]["members"][0]["operating_status"] == "NO_MONITOR"
    # everything is reachable through the normal endpoints
    full = c.get(lb_path(lb["id"])).json["loadbalancer"]
    assert len(full["listeners"]) == 2 and len(full["pools"]) == 3
    http_li = [x for x in h.list_all(c, LISTENERS, "listeners", {"loadbalancer_id": lb["id"]}) if x["name"] == "g-http"][0]
    assert http_li["default_pool_id"] == [p["id"] for p in full["pools"] if p["id"] == gp["id"]][0]
    assert len(http_li["l7policies"]) == 1
    pol = c.get("/v2/lbaas/l7policies/%s" % http_li["l7policies"][0]["id"]).json["l7policy"]
    assert pol["action"] == "REDIRECT_TO_POOL" and pol["redirect_pool_id"] == http_pools["g-pool2"]["id"]
    assert pol["position"] == 1 and len(pol["rules"]) == 1
    h.cascade_delete(c, lb["id"])
    for p in full["pools"]:
        assert c.get("%s/%s" % (POOLS, p["id"])).status == 404


def _graph_fault(c, lb_body, code=400, **kw):
    before = sorted(x["id"] for x in h.list_all(c, LB, "loadbalancers"))
    body = {"name": "bad-graph", "vip_subnet_id": SUBNET_ID}
    body.update(lb_body)
    r = c.post(LB, {"loadbalancer": body})
    fs = h.assert_fault(r, code, **kw)
    after = sorted(x["id"] for x in h.list_all(c, LB, "loadbalancers"))
    assert before == after, "a rejected graph create left objects behind"
    return fs


def test_graph_unresolved_pool_reference(c):
    _graph_fault(c, {"listeners": [{"protocol": "HTTP", "protocol_port": 80, "default_pool": {"name": "nope"}}]},
                 contains="Pool 'nope' was referenced but no full definition was found.")


def test_graph_duplicate_pool_names(c):
    _graph_fault(c, {"pools": [{"name": "p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"},
                               {"name": "p", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}]},
                 contains="Pool names must be unique when creating a fully populated loadbalancer.")


def test_graph_unnamed_default_pool(c):
    _graph_fault(c, {"listeners": [{"protocol": "HTTP", "protocol_port": 80,
                                    "default_pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}]})


def test_graph_bad_nested_values(c):
    _graph_fault(c, {"listeners": [{"protocol": "HTTP", "protocol_port": 70000}]}, contains="protocol_port")
    _graph_fault(c, {"pools": [{"name": "p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                "members": [{"address": "10.0.0.300", "protocol_port": 80}]}]}, contains="address")
    _graph_fault(c, {"listeners": [{"protocol": "HTTP", "protocol_port": 80, "bogus": 1}]}, contains="bogus")


def test_graph_duplicate_listener_port(c):
    _graph_fault(c, {"listeners": [{"protocol": "TCP", "protocol_port": 80},
                                   {"protocol": "HTTP", "protocol_port": 80}]}, code=409)


def test_project_id_with_control_characters_is_refused(c):
    """Issue 11: a project id with a newline reached the amphora's log-format and added lines.
    Octavia takes any string of 36 characters; one with control characters is refused here."""
    before = h.list_all(c, LB, "loadbalancers")
    for field in ("project_id", "tenant_id"):
        r = c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID, field: "p\n    bind *:2222"}})
        h.assert_fault(r, 400, contains="Invalid input for field/attribute " + field)
    assert h.list_all(c, LB, "loadbalancers") == before
    r = c.post(LB, {"loadbalancer": {"vip_subnet_id": SUBNET_ID, "project_id": "p 100% #1"}})
    assert r.status == 201, r  # printable text is Octavia's: the renderer escapes it
    h.wait_lb(c, r.json["loadbalancer"]["id"])
