"""The built-in Neutron v2.0 subset (IPAM in the database) and the local network driver, over real
HTTP against `octane serve` defaults: first-start networks and router, filters and fields,
fixed IPs (duplicate, out of subnet, exhausted pools), in-use deletions, IPv6, floating IPs through
routers, concurrency,
and the load-balancer API's subresource validation and VIP ports."""
from __future__ import annotations

import os
import sys
import threading
import time
import uuid

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "identity"))
import cloud as c  # noqa: E402

NET = "/networking/v2.0"
LB = "/v2.0/lbaas/loadbalancers"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("octane-networking"))
    s = c.start(state)
    c.add_user(state, "demo", "demo", "demo-pw", "member")
    s.admin = c.token(s.base_url, "admin", c.admin_password(state), "admin")
    s.demo = c.token(s.base_url, "demo", "demo-pw", "demo")
    # Under the default policy a project admin acts in its own project only; the system admin
    # reaches every project.
    s.system = c.system_token(s.base_url, "admin", c.admin_password(state))
    try:
        yield s
    finally:
        s.stop()


def api(srv, method, path, tok=None, **kw):
    return c.call(method, srv.base_url + path, tok or srv.admin, **kw)


def neutron_error(r, status, kind):
    assert r.status_code == status, (r.status_code, r.text)
    err = r.json()["NeutronError"]
    assert set(err) == {"type", "message", "detail"}
    assert err["type"] == kind, err
    return err["message"]


def make_net(srv, cidr, pools=None, tok=None, **subnet_extra):
    net = api(srv, "POST", NET + "/networks", tok, json={"network": {"name": "n-" + uuid.uuid4().hex[:6]}})
    assert net.status_code == 201, net.text
    body = {"network_id": net.json()["network"]["id"], "cidr": cidr,
            "ip_version": 6 if ":" in cidr else 4, **subnet_extra}
    if pools:
        body["allocation_pools"] = pools
    sub = api(srv, "POST", NET + "/subnets", tok, json={"subnet": body})
    assert sub.status_code == 201, sub.text
    return net.json()["network"], sub.json()["subnet"]


def port(srv, network_id, tok=None, **extra):
    return api(srv, "POST", NET + "/ports", tok, json={"port": {"network_id": network_id, **extra}})


def test_first_start_networks(srv):
    nets = {n["name"]: n for n in api(srv, "GET", NET + "/networks").json()["networks"]}
    assert nets["selfservice"]["shared"] is True and nets["selfservice"]["router:external"] is False
    assert nets["provider"]["router:external"] is True
    subnet = api(srv, "GET", NET + "/subnets?name=selfservice").json()["subnets"]
    assert len(subnet) == 1
    assert subnet[0]["cidr"] == "127.10.0.0/16" and subnet[0]["gateway_ip"] == "127.10.0.1"
    assert subnet[0]["allocation_pools"] == [{"start": "127.10.0.2", "end": "127.10.255.254"}]
    assert subnet[0]["network_id"] == nets["selfservice"]["id"]
    assert nets["selfservice"]["subnets"] == [subnet[0]["id"]]
    # both client look-ups: by name and by id; fields selection
    assert api(srv, "GET", NET + "/subnets?id=" + subnet[0]["id"]).json()["subnets"][0]["name"] == "selfservice"
    only = api(srv, "GET", NET + "/networks?name=provider&fields=id&fields=name").json()["networks"]
    assert only == [{"id": nets["provider"]["id"], "name": "provider"}]
    assert api(srv, "GET", NET + "/networks?router:external=True").json()["networks"][0]["name"] == "provider"
    assert api(srv, "GET", NET + "/subnets?name=nothing").json()["subnets"] == []
    # the second project sees the shared and the external network, and the shared subnet
    names = sorted(n["name"] for n in api(srv, "GET", NET + "/networks", srv.demo).json()["networks"])
    assert names == ["provider", "selfservice"]
    assert [s["name"] for s in api(srv, "GET", NET + "/subnets", srv.demo).json()["subnets"]] == ["selfservice"]


def test_errors_and_auth(srv):
    neutron_error(api(srv, "GET", NET + "/networks/" + str(uuid.uuid4())), 404, "NetworkNotFound")
    neutron_error(api(srv, "GET", NET + "/subnets/nope"), 404, "SubnetNotFound")
    neutron_error(api(srv, "GET", NET + "/ports/nope"), 404, "PortNotFound")
    neutron_error(api(srv, "GET", NET + "/floatingips/nope"), 404, "FloatingIPNotFound")
    neutron_error(api(srv, "GET", NET + "/trunks"), 404, "HTTPNotFound")
    r = c.call("GET", srv.base_url + NET + "/networks")
    assert r.status_code == 401 and "WWW-Authenticate" in r.headers
    neutron_error(api(srv, "POST", NET + "/networks", json={"network": {"bogus": 1}}), 400, "HTTPBadRequest")
    neutron_error(api(srv, "POST", NET + "/networks", data="nope"), 400, "HTTPBadRequest")
    neutron_error(api(srv, "POST", NET + "/networks", srv.demo,
                      json={"network": {"name": "x", "router:external": True}}), 403, "HTTPForbidden")
    net, _ = make_net(srv, "10.99.0.0/24")
    for bad in ({"cidr": "10.99.1.0/33", "ip_version": 4}, {"cidr": "10.99.1.0/24", "ip_version": 6},
                {"cidr": "10.99.1.0/24", "ip_version": 4, "gateway_ip": "10.98.0.1"},
                {"cidr": "10.99.1.0/24", "ip_version": 4,
                 "allocation_pools": [{"start": "10.99.2.1", "end": "10.99.2.9"}]},
                {"cidr": "10.99.0.128/25", "ip_version": 4}):  # overlaps the first subnet
        r = api(srv, "POST", NET + "/subnets", json={"subnet": {"network_id": net["id"], **bad}})
        assert r.status_code == 400, (bad, r.text)
        assert "NeutronError" in r.json()


def test_fixed_ips_duplicate_and_out_of_subnet(srv):
    net, sub = make_net(srv, "10.50.0.0/24")
    r = port(srv, net["id"], fixed_ips=[{"subnet_id": sub["id"], "ip_address": "10.50.0.10"}])
    assert r.status_code == 201, r.text
    p = r.json()["port"]
    assert p["fixed_ips"] == [{"subnet_id": sub["id"], "ip_address": "10.50.0.10"}]
    assert p["mac_address"].startswith("fa:16:3e:")
    msg = neutron_error(port(srv, net["id"], fixed_ips=[{"ip_address": "10.50.0.10"}]), 409,
                        "IpAddressAlreadyAllocated")
    assert "10.50.0.10" in msg
    neutron_error(port(srv, net["id"], fixed_ips=[{"subnet_id": sub["id"], "ip_address": "10.51.0.3"}]),
                  400, "InvalidIpForSubnet")
    neutron_error(port(srv, net["id"], fixed_ips=[{"ip_address": "10.51.0.3"}]), 400, "InvalidIpForNetwork")
    neutron_error(port(srv, net["id"], fixed_ips=[{"subnet_id": sub["id"], "ip_address": "10.50.0.255"}]),
                  400, "InvalidIpForSubnet")
    neutron_error(port(srv, net["id"], mac_address=p["mac_address"]), 409, "MacAddressInUse")
    neutron_error(port(srv, str(uuid.uuid4())), 404, "NetworkNotFound")
    # nothing half-written: still exactly one port on the network
    assert len(api(srv, "GET", NET + "/ports?network_id=" + net["id"]).json()["ports"]) == 1
    found = api(srv, "GET", NET + "/ports?fixed_ips=ip_address%3D10.50.0.10").json()["ports"]
    assert [x["id"] for x in found] == [p["id"]]


def test_exhausted_pool_and_reuse(srv):
    net, sub = make_net(srv, "10.60.0.0/29", pools=[{"start": "10.60.0.2", "end": "10.60.0.4"}])
    ports = [port(srv, net["id"]) for _ in range(3)]
    assert [p.status_code for p in ports] == [201] * 3
    addresses = [p.json()["port"]["fixed_ips"][0]["ip_address"] for p in ports]
    assert addresses == ["10.60.0.2", "10.60.0.3", "10.60.0.4"]
    neutron_error(port(srv, net["id"]), 409, "IpAddressGenerationFailure")
    assert api(srv, "DELETE", NET + "/ports/" + ports[1].json()["port"]["id"]).status_code == 204
    again = port(srv, net["id"])
    assert again.status_code == 201
    assert again.json()["port"]["fixed_ips"][0]["ip_address"] == "10.60.0.3"


def test_concurrent_allocations_never_collide(srv):
    net, _ = make_net(srv, "10.70.0.0/28")  # 13 usable addresses
    results = []
    lock = threading.Lock()

    def worker():
        r = port(srv, net["id"])
        with lock:
            results.append(r)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    ok = [r.json()["port"]["fixed_ips"][0]["ip_address"] for r in results if r.status_code == 201]
    failed = [r for r in results if r.status_code != 201]
    assert len(ok) == 13 and len(set(ok)) == 13
    assert all(r.status_code == 409 for r in failed) and len(failed) == 3


def test_in_use_deletions(srv):
    net, sub = make_net(srv, "10.80.0.0/24")
    p = port(srv, net["id"]).json()["port"]
    neutron_error(api(srv, "DELETE", NET + "/subnets/" + sub["id"]), 409, "SubnetInUse")
    neutron_error(api(srv, "DELETE", NET + "/networks/" + net["id"]), 409, "NetworkInUse")
    assert api(srv, "GET", NET + "/subnets/" + sub["id"]).status_code == 200
    assert api(srv, "DELETE", NET + "/ports/" + p["id"]).status_code == 204
    assert api(srv, "DELETE", NET + "/subnets/" + sub["id"]).status_code == 204
    assert api(srv, "GET", NET + "/networks/" + net["id"]).json()["network"]["subnets"] == []
    assert api(srv, "DELETE", NET + "/networks/" + net["id"]).status_code == 204
    neutron_error(api(srv, "GET", NET + "/networks/" + net["id"]), 404, "NetworkNotFound")


def test_ipv6_and_dual_stack(srv):
    net, v4 = make_net(srv, "10.90.0.0/24")
    v6 = api(srv, "POST", NET + "/subnets", json={"subnet": {
        "network_id": net["id"], "cidr": "fd00:90::/64", "ip_version": 6}}).json()["subnet"]
    assert v6["gateway_ip"] == "fd00:90::1"
    p = port(srv, net["id"]).json()["port"]
    assert [ip["ip_address"] for ip in p["fixed_ips"]] == ["10.90.0.2", "fd00:90::2"]
    p6 = port(srv, net["id"], fixed_ips=[{"ip_address": "fd00:90::abcd"}]).json()["port"]
    assert p6["fixed_ips"] == [{"subnet_id": v6["id"], "ip_address": "fd00:90::abcd"}]


def test_floating_ips(srv):
    provider = api(srv, "GET", NET + "/networks?name=provider").json()["networks"][0]
    net, sub = make_net(srv, "10.40.0.0/24", tok=srv.demo)
    target = port(srv, net["id"], srv.demo).json()["port"]
    fip = api(srv, "POST", NET + "/floatingips", srv.demo,
              json={"floatingip": {"floating_network_id": provider["id"]}})
    assert fip.status_code == 201, fip.text
    fip = fip.json()["floatingip"]
    assert fip["floating_ip_address"].startswith("127.20.") and fip["status"] == "DOWN"
    assert fip["port_id"] is None and fip["router_id"] is None
    # no router joins the private subnet to provider yet: Neutron's 404, nothing associated
    msg = neutron_error(api(srv, "PUT", NET + "/floatingips/" + fip["id"], srv.demo,
                            json={"floatingip": {"port_id": target["id"]}}),
                        404, "ExternalGatewayForFloatingIPNotFound")
    assert msg == ("External network %s is not reachable from subnet %s.  Therefore, cannot associate "
                   "Port %s with a Floating IP." % (provider["id"], sub["id"], target["id"]))
    assert api(srv, "GET", NET + "/floatingips/" + fip["id"], srv.demo).json()["floatingip"]["port_id"] is None
    router = api(srv, "POST", NET + "/routers", srv.demo, json={"router": {
        "name": "r40", "external_gateway_info": {"network_id": provider["id"]}}})
    assert router.status_code == 201, router.text
    router = router.json()["router"]
    r = api(srv, "PUT", NET + "/routers/%s/add_router_interface" % router["id"], srv.demo,
            json={"subnet_id": sub["id"]})
    assert r.status_code == 200, r.text
    r = api(srv, "PUT", NET + "/floatingips/" + fip["id"], srv.demo,
            json={"floatingip": {"port_id": target["id"]}})
    assert r.status_code == 200, r.text
    assert r.json()["floatingip"]["fixed_ip_address"] == target["fixed_ips"][0]["ip_address"]
    assert r.json()["floatingip"]["status"] == "ACTIVE"
    assert r.json()["floatingip"]["router_id"] == router["id"]
    found = api(srv, "GET", NET + "/floatingips?floating_ip_address=" + fip["floating_ip_address"], srv.demo)
    assert [f["id"] for f in found.json()["floatingips"]] == [fip["id"]]
    r = api(srv, "PUT", NET + "/floatingips/" + fip["id"], srv.demo, json={"floatingip": {"port_id": None}})
    assert r.json()["floatingip"]["port_id"] is None and r.json()["floatingip"]["status"] == "DOWN"
    assert r.json()["floatingip"]["router_id"] is None
    # associate at creation; the same fixed IP cannot get two floating IPs
    second = api(srv, "POST", NET + "/floatingips", srv.demo, json={"floatingip": {
        "floating_network_id": provider["id"], "port_id": target["id"]}}).json()["floatingip"]
    assert second["port_id"] == target["id"] and second["router_id"] == router["id"]
    neutron_error(api(srv, "PUT", NET + "/floatingips/" + fip["id"], srv.demo,
                      json={"floatingip": {"port_id": target["id"]}}), 409, "FloatingIPPortAlreadyAssociated")
    neutron_error(api(srv, "POST", NET + "/floatingips", srv.demo, json={"floatingip": {
        "floating_network_id": net["id"]}}), 400, "BadRequest")
    # the floating IP's own port cannot be deleted directly; deleting the fixed port disassociates
    fport = api(srv, "GET", NET + "/ports?device_id=" + fip["id"]).json()["ports"][0]
    msg = neutron_error(api(srv, "DELETE", NET + "/ports/" + fport["id"]), 409, "ServicePortInUse")
    assert msg == ("Port %s cannot be deleted directly via the port API: has device owner "
                   "network:floatingip." % fport["id"])
    assert api(srv, "DELETE", NET + "/ports/" + target["id"], srv.demo).status_code == 204
    gone = api(srv, "GET", NET + "/floatingips/" + second["id"], srv.demo).json()["floatingip"]
    assert gone["port_id"] is None and gone["router_id"] is None
    for f in (fip, second):
        assert api(srv, "DELETE", NET + "/floatingips/" + f["id"], srv.demo).status_code == 204
    neutron_error(api(srv, "GET", NET + "/ports/" + fport["id"]), 404, "PortNotFound")
    # another project does not see the floating IPs or ports of the first (the admin's own
    # first-start router ports stay the admin's)
    assert api(srv, "GET", NET + "/ports?network_id=" + net["id"]).status_code == 200
    demo_ports = api(srv, "GET", NET + "/ports", srv.demo).json()["ports"]
    assert [p["device_owner"] for p in demo_ports] == ["network:router_interface"]
    assert api(srv, "GET", NET + "/routers", srv.demo).json()["routers"] == [
        api(srv, "GET", NET + "/routers/" + router["id"], srv.demo).json()["router"]]


def test_routers(srv):
    """The first-start router, a router's life with Neutron's answers: gateway on a non-external
    network, interfaces in use, the router's ports refused to the port API, deletion."""
    nets = {n["name"]: n for n in api(srv, "GET", NET + "/networks").json()["networks"]}
    first = api(srv, "GET", NET + "/routers?name=router").json()["routers"]
    assert len(first) == 1
    gateway = first[0]["external_gateway_info"]
    assert gateway["network_id"] == nets["provider"]["id"] and gateway["enable_snat"] is True
    assert gateway["external_fixed_ips"][0]["ip_address"] == "127.20.0.2"
    iface = api(srv, "GET", NET + "/ports?device_id=%s&device_owner=network:router_interface"
                % first[0]["id"]).json()["ports"]
    assert [ip["ip_address"] for ip in iface[0]["fixed_ips"]] == ["127.10.0.1"]
    # a second project cannot see the admin's router
    seen = [r["id"] for r in api(srv, "GET", NET + "/routers", srv.demo).json()["routers"]]
    assert first[0]["id"] not in seen
    neutron_error(api(srv, "GET", NET + "/routers/" + first[0]["id"], srv.demo), 404, "RouterNotFound")

    net, sub = make_net(srv, "10.41.0.0/24")
    msg = neutron_error(api(srv, "POST", NET + "/routers", json={"router": {
        "name": "bad", "external_gateway_info": {"network_id": net["id"]}}}), 400, "BadRequest")
    assert msg == "Bad router request: Network %s is not an external network." % net["id"]
    assert api(srv, "GET", NET + "/routers?name=bad").json()["routers"] == []
    r = api(srv, "POST", NET + "/routers", json={"router": {"name": "r41"}}).json()["router"]
    assert r["external_gateway_info"] is None and r["routes"] == [] and r["status"] == "ACTIVE"
    info = api(srv, "PUT", NET + "/routers/%s/add_router_interface" % r["id"], json={"subnet_id": sub["id"]})
    assert info.status_code == 200, info.text
    info = info.json()
    assert (info["id"], info["subnet_id"], info["network_id"]) == (r["id"], sub["id"], net["id"])
    msg = neutron_error(api(srv, "DELETE", NET + "/routers/" + r["id"]), 409, "RouterInUse")
    assert msg == "Router %s has ports still attached: %s" % (r["id"], info["port_id"])
    msg = neutron_error(api(srv, "DELETE", NET + "/ports/" + info["port_id"]), 409, "ServicePortInUse")
    assert msg.endswith("has device owner network:router_interface.")
    neutron_error(api(srv, "DELETE", NET + "/subnets/" + sub["id"]), 409, "SubnetInUse")
    neutron_error(api(srv, "DELETE", NET + "/networks/" + net["id"]), 409, "NetworkInUse")
    missing = str(uuid.uuid4())
    msg = neutron_error(api(srv, "PUT", NET + "/routers/%s/remove_router_interface" % r["id"],
                            json={"port_id": missing}), 404, "RouterInterfaceNotFound")
    assert msg == "Router %s does not have an interface with id %s" % (r["id"], missing)
    r2 = api(srv, "PUT", NET + "/routers/" + r["id"], json={"router": {
        "external_gateway_info": {"network_id": nets["provider"]["id"]}}})
    assert r2.status_code == 200, r2.text
    gw_port = api(srv, "GET", NET + "/ports?device_owner=network:router_gateway&device_id=" + r["id"]).json()["ports"]
    assert len(gw_port) == 1 and gw_port[0]["project_id"] == ""
    assert api(srv, "PUT", NET + "/routers/%s/remove_router_interface" % r["id"],
               json={"subnet_id": sub["id"]}).status_code == 200
    assert api(srv, "DELETE", NET + "/routers/" + r["id"]).status_code == 204
    neutron_error(api(srv, "GET", NET + "/ports/" + gw_port[0]["id"]), 404, "PortNotFound")
    assert api(srv, "DELETE", NET + "/subnets/" + sub["id"]).status_code == 204


def test_load_balancer_vip_validation_and_port(srv):
    missing = str(uuid.uuid4())
    for key, kind in (("vip_subnet_id", "Subnet"), ("vip_network_id", "Network"), ("vip_port_id", "Port")):
        r = api(srv, "POST", LB, json={"loadbalancer": {key: missing}})
        assert r.status_code == 400, r.text
        assert r.json()["faultstring"] == "%s %s not found." % (kind, missing)
    subnet = api(srv, "GET", NET + "/subnets?name=selfservice").json()["subnets"][0]
    lb = api(srv, "POST", LB, json={"loadbalancer": {"name": "v", "vip_subnet_id": subnet["id"]}}).json()["loadbalancer"]
    vip = api(srv, "GET", NET + "/ports/" + lb["vip_port_id"]).json()["port"]
    assert vip["fixed_ips"] == [{"subnet_id": subnet["id"], "ip_address": lb["vip_address"]}]
    assert vip["device_owner"] == "Octavia" and vip["device_id"] == "lb-" + lb["id"]
    assert lb["vip_network_id"] == subnet["network_id"]
    # a VIP address already in use is refused; by network it picks the IPv4 subnet
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_subnet_id": subnet["id"], "vip_address": lb["vip_address"]}})
    assert r.status_code == 409, r.text
    by_net = api(srv, "POST", LB, json={"loadbalancer": {"vip_network_id": subnet["network_id"]}})
    assert by_net.status_code == 201 and by_net.json()["loadbalancer"]["vip_subnet_id"] == subnet["id"]
    # member subnet_id is validated too
    pool = api(srv, "POST", "/v2.0/lbaas/pools", json={"pool": {
        "loadbalancer_id": by_net.json()["loadbalancer"]["id"], "protocol": "TCP",
        "lb_algorithm": "ROUND_ROBIN"}})
    deadline = time.monotonic() + 30
    while pool.status_code == 409 and time.monotonic() < deadline:  # LB still PENDING_CREATE
        time.sleep(0.05)
        pool = api(srv, "POST", "/v2.0/lbaas/pools", json={"pool": {
            "loadbalancer_id": by_net.json()["loadbalancer"]["id"], "protocol": "TCP",
            "lb_algorithm": "ROUND_ROBIN"}})
    assert pool.status_code == 201, pool.text
    r = api(srv, "POST", "/v2.0/lbaas/pools/%s/members" % pool.json()["pool"]["id"], json={"member": {
        "address": "127.10.3.3", "protocol_port": 22, "subnet_id": missing}})
    assert r.status_code == 400, r.text
    assert r.json()["faultstring"] == "Subnet %s not found." % missing
    # deleting the load balancer frees the port
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = api(srv, "GET", LB + "/" + lb["id"]).json()["loadbalancer"]["provisioning_status"]
        if status == "ACTIVE":
            break
        time.sleep(0.05)
    assert api(srv, "DELETE", LB + "/" + lb["id"]).status_code == 204
    deadline = time.monotonic() + 30
    code = 200
    while time.monotonic() < deadline and code == 200:
        code = api(srv, "GET", NET + "/ports/" + lb["vip_port_id"]).status_code
        time.sleep(0.05)
    assert code == 404


def wait_lb_active(srv, lb_id, tok=None):
    def active():
        lb = api(srv, "GET", LB + "/" + lb_id, tok).json()["loadbalancer"]
        assert lb["provisioning_status"] != "ERROR", lb
        return lb["provisioning_status"] == "ACTIVE"
    c.h.poll_until(active, what="load balancer %s ACTIVE" % lb_id)


def test_member_subnet_validated_on_batch_update(srv):
    """PUT /pools/{id}/members validates the subnets of the members it creates (Octavia: 400
    InvalidSubresource), and writes nothing when one is unknown."""
    missing = str(uuid.uuid4())
    subnet = api(srv, "GET", NET + "/subnets?name=selfservice").json()["subnets"][0]["id"]
    lb = api(srv, "POST", LB, json={"loadbalancer": {"vip_subnet_id": subnet}}).json()["loadbalancer"]
    wait_lb_active(srv, lb["id"])
    r = api(srv, "POST", "/v2.0/lbaas/pools", json={"pool": {
        "loadbalancer_id": lb["id"], "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}})
    assert r.status_code == 201, r.text
    members = "/v2.0/lbaas/pools/%s/members" % r.json()["pool"]["id"]
    wait_lb_active(srv, lb["id"])
    good = {"address": "127.10.4.1", "protocol_port": 22, "subnet_id": subnet}
    bad = {"address": "127.10.4.2", "protocol_port": 22, "subnet_id": missing}
    r = api(srv, "PUT", members, json={"members": [good, bad]})
    assert r.status_code == 400, r.text
    assert r.json() == {"faultcode": "Client", "faultstring": "Subnet %s not found." % missing,
                        "debuginfo": None}
    assert api(srv, "GET", members).json()["members"] == []
    assert api(srv, "GET", LB + "/" + lb["id"]).json()["loadbalancer"]["provisioning_status"] == "ACTIVE"
    r = api(srv, "PUT", members, json={"members": [good]})
    assert r.status_code == 202, r.text
    wait_lb_active(srv, lb["id"])
    assert [m["subnet_id"] for m in api(srv, "GET", members).json()["members"]] == [subnet]


def test_member_subnet_validated_on_graph_create(srv):
    missing = str(uuid.uuid4())
    subnet = api(srv, "GET", NET + "/subnets?name=selfservice").json()["subnets"][0]["id"]
    name = "graph-" + uuid.uuid4().hex[:6]
    pool = {"name": "p", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN", "members": [
        {"address": "127.10.5.1", "protocol_port": 22, "subnet_id": subnet},
        {"address": "127.10.5.2", "protocol_port": 22, "subnet_id": missing}]}
    body = {"name": name, "vip_subnet_id": subnet, "pools": [pool],
            "listeners": [{"protocol": "TCP", "protocol_port": 22, "default_pool": {"name": "p"}}]}
    ports_before = len(api(srv, "GET", NET + "/ports").json()["ports"])
    r = api(srv, "POST", LB, json={"loadbalancer": body})
    assert r.status_code == 400, r.text
    assert r.json()["faultstring"] == "Subnet %s not found." % missing
    assert api(srv, "GET", LB + "?name=" + name).json()["loadbalancers"] == []
    assert len(api(srv, "GET", NET + "/ports").json()["ports"]) == ports_before
    pool["members"].pop()
    r = api(srv, "POST", LB, json={"loadbalancer": body})
    assert r.status_code == 201, r.text
    (member,) = r.json()["loadbalancer"]["pools"][0]["members"]
    assert member["subnet_id"] == subnet


def test_load_balancer_on_an_exhausted_subnet(srv):
    """Octavia passes Neutron's code and message through (AllocateVIPException orig_code): an
    exhausted subnet is 409, and the refused create leaves no load balancer behind."""
    net, sub = make_net(srv, "10.30.0.0/29", pools=[{"start": "10.30.0.2", "end": "10.30.0.2"}])
    assert port(srv, net["id"]).status_code == 201
    name = "full-" + uuid.uuid4().hex[:6]
    r = api(srv, "POST", LB, json={"loadbalancer": {"name": name, "vip_subnet_id": sub["id"]}})
    assert r.status_code == 409, r.text
    assert r.json() == {"faultcode": "Client", "debuginfo": None,
                        "faultstring": "No more IP addresses available on network %s." % net["id"]}
    assert api(srv, "GET", LB + "?name=" + name).json()["loadbalancers"] == []
    assert len(api(srv, "GET", NET + "/ports?network_id=" + net["id"]).json()["ports"]) == 1


def test_load_balancer_on_an_existing_port(srv):
    """vip_port_id as Octavia: the VIP is the port's fixed IP (chosen by subnet or address when the
    port has several), a port a device uses is refused, and so is a second load balancer on a port
    that is already a VIP: one address never serves two load balancers."""
    net, v4 = make_net(srv, "10.31.0.0/24")
    v6 = api(srv, "POST", NET + "/subnets", json={"subnet": {
        "network_id": net["id"], "cidr": "fd00:31::/64", "ip_version": 6}}).json()["subnet"]
    dual = port(srv, net["id"]).json()["port"]
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_port_id": dual["id"]}})
    assert r.status_code == 400, r.text
    assert r.json()["faultstring"] == ("Validation failure: VIP port's subnet could not be determined. "
                                       "Please specify either a VIP subnet or address.")
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_port_id": dual["id"], "vip_address": "10.31.0.200"}})
    assert r.status_code == 400, r.text
    assert r.json()["faultstring"] == "Validation failure: Specified VIP address not found on the specified VIP port."
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_port_id": dual["id"], "vip_subnet_id": v6["id"]}})
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    assert (lb["vip_port_id"], lb["vip_subnet_id"], lb["vip_network_id"]) == (dual["id"], v6["id"], net["id"])
    assert lb["vip_address"] == [ip["ip_address"] for ip in dual["fixed_ips"] if ip["subnet_id"] == v6["id"]][0]
    wait_lb_active(srv, lb["id"])
    # a second load balancer on the same port is refused, whatever it names
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_port_id": dual["id"], "vip_subnet_id": v4["id"]}})
    assert r.status_code == 400, r.text
    assert r.json()["faultstring"] == "Validation failure: Port %s is already used by device lb-%s " % (
        dual["id"], lb["id"])
    # the VIP port Octane made for another load balancer (device_id lb-...) is in use too
    own = api(srv, "POST", LB, json={"loadbalancer": {"vip_subnet_id": v4["id"]}}).json()["loadbalancer"]
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_port_id": own["vip_port_id"]}})
    assert r.status_code == 400, r.text
    assert r.json()["faultstring"] == "Validation failure: Port %s is already used by device lb-%s " % (
        own["vip_port_id"], own["id"])
    # deleting the load balancer leaves the user's port in place
    assert api(srv, "DELETE", LB + "/" + lb["id"]).status_code == 204
    c.h.poll_until(lambda: api(srv, "GET", LB + "/" + lb["id"]).status_code == 404, what="lb deleted")
    assert api(srv, "GET", NET + "/ports/" + dual["id"]).status_code == 200
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_port_id": dual["id"], "vip_address": "fd00:31:0::" +
                                                    dual["fixed_ips"][1]["ip_address"].split("::")[1]}})
    assert r.status_code == 201, r.text


def test_additional_vips_are_addresses_of_the_vip_port(srv):
    """additional_vips as Octavia with Neutron: each is a fixed IP of the VIP port on another
    subnet of the VIP network (addresses handed out once); unknown subnets are InvalidSubresource,
    subnets of another network or the primary one are refused, and a refused create holds no
    address."""
    net, v4 = make_net(srv, "10.32.0.0/24")
    v6 = api(srv, "POST", NET + "/subnets", json={"subnet": {
        "network_id": net["id"], "cidr": "fd00:32::/64", "ip_version": 6}}).json()["subnet"]
    _, elsewhere = make_net(srv, "10.33.0.0/24")
    missing = str(uuid.uuid4())

    def create(*extras, **fields):
        body = {"vip_subnet_id": v4["id"], "additional_vips": list(extras), **fields}
        return api(srv, "POST", LB, json={"loadbalancer": body})

    for extras, status, text in (
            ([{"subnet_id": missing}], 400, "Subnet %s not found." % missing),
            ([{"subnet_id": elsewhere["id"]}], 400, "Validation failure: All VIP subnets must belong to the same network."),
            ([{"subnet_id": v4["id"]}], 400, "Validation failure: Duplicate VIP or additional VIP subnet(s) detected: " + v4["id"]),
            ([{"subnet_id": v6["id"], "ip_address": "fd00:33::5"}], 400,
             "IP address fd00:33::5 is not a valid IP for the specified subnet."),
            ([{"subnet_id": v6["id"], "ip_address": "bogus"}], 400,
             "Invalid input for field/attribute ip_address. Value: 'bogus'. Value should be IPv4 or IPv6 format")):
        r = create(*extras)
        assert r.status_code == status, (extras, r.text)
        assert r.json()["faultstring"] == text, r.text
    # a subnet of another network named through vip_network_id is refused the same way
    r = api(srv, "POST", LB, json={"loadbalancer": {"vip_network_id": net["id"],
                                                    "additional_vips": [{"subnet_id": v4["id"]}]}})
    assert r.status_code == 400 and "Duplicate VIP" in r.json()["faultstring"], r.text
    assert api(srv, "GET", NET + "/ports?network_id=" + net["id"]).json()["ports"] == []
    r = create({"subnet_id": v6["id"], "ip_address": "fd00:32::77"})
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    assert lb["additional_vips"] == [{"subnet_id": v6["id"], "ip_address": "fd00:32::77",
                                      "port_id": lb["vip_port_id"], "network_id": net["id"]}]
    vip_port = api(srv, "GET", NET + "/ports/" + lb["vip_port_id"]).json()["port"]
    assert sorted(ip["ip_address"] for ip in vip_port["fixed_ips"]) == sorted([lb["vip_address"], "fd00:32::77"])
    # the additional address is taken: neither a port nor another load balancer gets it
    neutron_error(port(srv, net["id"], fixed_ips=[{"ip_address": "fd00:32::77"}]), 409, "IpAddressAlreadyAllocated")
    r = create({"subnet_id": v6["id"], "ip_address": "fd00:32::77"})
    assert r.status_code == 409, r.text
    assert len(api(srv, "GET", NET + "/ports?network_id=" + net["id"]).json()["ports"]) == 1


def test_load_balancer_api_sees_only_what_neutron_shows_the_caller(srv):
    """Octavia looks VIP and member subnets up with the user's own token: another project's private
    subnet, network or port is 'not found' (400 InvalidSubresource), the shared selfservice subnet
    and the caller's own objects work, an admin reaches everything."""
    net, sub = make_net(srv, "10.34.0.0/24", tok=srv.demo)
    own_port = port(srv, net["id"], srv.demo).json()["port"]
    c.add_user(srv.state_dir, "nosy", "nosy", "nosy-pw", "member")
    nosy = c.token(srv.base_url, "nosy", "nosy-pw", "nosy")
    for key, kind, value in (("vip_subnet_id", "Subnet", sub["id"]), ("vip_network_id", "Network", net["id"]),
                             ("vip_port_id", "Port", own_port["id"])):
        r = api(srv, "POST", LB, nosy, json={"loadbalancer": {key: value}})
        assert r.status_code == 400, (key, r.text)
        assert r.json()["faultstring"] == "%s %s not found." % (kind, value)
    selfservice = api(srv, "GET", NET + "/subnets?name=selfservice", nosy).json()["subnets"][0]["id"]
    r = api(srv, "POST", LB, nosy, json={"loadbalancer": {
        "vip_subnet_id": selfservice, "additional_vips": [{"subnet_id": sub["id"]}]}})
    assert r.status_code == 400 and r.json()["faultstring"] == "Subnet %s not found." % sub["id"], r.text
    r = api(srv, "POST", LB, nosy, json={"loadbalancer": {"vip_subnet_id": selfservice, "pools": [
        {"name": "p", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN",
         "members": [{"address": "10.34.0.9", "protocol_port": 22, "subnet_id": sub["id"]}]}]}})
    assert r.status_code == 400 and r.json()["faultstring"] == "Subnet %s not found." % sub["id"], r.text
    assert api(srv, "GET", LB, nosy).json()["loadbalancers"] == []
    # the owner may, on its own subnet and port
    r = api(srv, "POST", LB, srv.demo, json={"loadbalancer": {"vip_port_id": own_port["id"]}})
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    wait_lb_active(srv, lb["id"], srv.demo)
    r = api(srv, "POST", "/v2/lbaas/pools", srv.demo, json={"pool": {
        "loadbalancer_id": lb["id"], "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}})
    assert r.status_code == 201, r.text
    members = "/v2/lbaas/pools/%s/members" % r.json()["pool"]["id"]
    wait_lb_active(srv, lb["id"], srv.demo)
    r = api(srv, "POST", members, srv.demo, json={"member": {
        "address": "10.34.0.9", "protocol_port": 22, "subnet_id": sub["id"]}})
    assert r.status_code == 201, r.text
    # and the (system) admin reaches the demo subnet too
    r = api(srv, "POST", LB, srv.system, json={"loadbalancer": {
        "vip_subnet_id": sub["id"], "project_id": lb["project_id"]}})
    assert r.status_code == 201, r.text


def test_shared_objects_are_read_only_to_other_projects(srv):
    """Neutron answers 404 for what a project cannot see and 403 for what it sees but does not own
    (the shared selfservice network and subnet, the external provider network); nothing changes."""
    nets = {n["name"]: n for n in api(srv, "GET", NET + "/networks", srv.demo).json()["networks"]}
    subnet = api(srv, "GET", NET + "/subnets?name=selfservice", srv.demo).json()["subnets"][0]
    for method, path, body in (("DELETE", "/networks/" + nets["selfservice"]["id"], None),
                               ("PUT", "/networks/" + nets["provider"]["id"], {"network": {"name": "mine"}}),
                               ("DELETE", "/subnets/" + subnet["id"], None),
                               ("PUT", "/subnets/" + subnet["id"], {"subnet": {"name": "mine"}})):
        r = api(srv, method, NET + path, srv.demo, **({"json": body} if body else {}))
        kind = path.split("/")[1][:-1]
        action = "delete_" if method == "DELETE" else "update_"
        assert neutron_error(r, 403, "HTTPForbidden") == "(rule:%s%s) is disallowed by policy" % (action, kind)
    names = sorted(n["name"] for n in api(srv, "GET", NET + "/networks").json()["networks"])
    assert "selfservice" in names and "provider" in names
    assert api(srv, "GET", NET + "/subnets/" + subnet["id"]).json()["subnet"]["name"] == "selfservice"
    # an admin's own private port stays invisible: 404, not 403
    private = port(srv, nets["selfservice"]["id"]).json()["port"]
    neutron_error(api(srv, "DELETE", NET + "/ports/" + private["id"], srv.demo), 404, "PortNotFound")
