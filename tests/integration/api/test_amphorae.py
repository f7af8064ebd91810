"""Amphorae (admin API under /v2/octavia): list/show, stats, config, failover, delete rules.

Facts: docs/octavia-api.md §1, §2.10; reference Octavia 11 (probed): the noop amphora of a SINGLE LB is
ALLOCATED/STANDALONE with lb_network_ip 192.0.2.1 and ha_ip = the VIP; failover replaces it.
"""
import json

import pytest

import octane_server as h
from octane_server import AMPS, LB

AMP_KEYS = {"id", "loadbalancer_id", "compute_id", "lb_network_ip", "vrrp_ip", "ha_ip", "vrrp_port_id",
            "ha_port_id", "cert_expiration", "cert_busy", "role", "status", "vrrp_interface", "vrrp_id",
            "vrrp_priority", "cached_zone", "created_at", "updated_at", "image_id", "compute_flavor"}
NIL = "00000000-0000-0000-0000-000000000000"


def amps_of(c, lb_id):
    r = c.get(AMPS, params={"loadbalancer_id": lb_id})
    assert r.status == 200, r
    assert "amphorae_links" in r.json
    return r.json["amphorae"]


@pytest.fixture(scope="module")
def lb(c):
    return h.create_lb(c)


def test_list_and_show(c, lb):
    amps = amps_of(c, lb["id"])
    assert len(amps) == 1, amps  # SINGLE topology
    a = amps[0]
    assert AMP_KEYS <= set(a), AMP_KEYS - set(a)
    assert a["loadbalancer_id"] == lb["id"]
    assert a["status"] == "ALLOCATED" and a["role"] == "STANDALONE"
    assert a["ha_ip"] == lb["vip_address"]
    assert h.UUID_RE.match(a["id"])
    r = c.get("%s/%s" % (AMPS, a["id"]))
    assert r.status == 200, r
    assert r.json["amphora"]["id"] == a["id"] and r.json["amphora"]["loadbalancer_id"] == lb["id"]
    assert a["id"] in [x["id"] for x in h.list_all(c, AMPS, "amphorae")]


def test_not_found(c):
    h.assert_fault(c.get("%s/%s" % (AMPS, NIL)), 404, "Amphora %s not found." % NIL)
    h.assert_fault(c.get("%s/%s/stats" % (AMPS, NIL)), 404, "Amphora stats for %s not found." % NIL)
    h.assert_fault(c.put("%s/%s/failover" % (AMPS, NIL)), 404, "Amphora %s not found." % NIL)
    assert c.put("%s/%s/config" % (AMPS, NIL)).status == 404
    assert c.delete("%s/%s" % (AMPS, NIL)).status == 404
    # amphorae live only under /v2/octavia
    assert c.get("/v2/lbaas/amphorae").status == 404


def test_stats_config_and_delete_rules(c, lb):
    a = amps_of(c, lb["id"])[0]
    r = c.get("%s/%s/stats" % (AMPS, a["id"]))
    if r.status == 200:
        for row in r.json["amphora_stats"]:
            assert {"id", "listener_id", "loadbalancer_id", "active_connections", "bytes_in", "bytes_out",
                    "request_errors", "total_connections"} <= set(row)
    else:
        h.assert_fault(r, 404, "Amphora stats for %s not found." % a["id"])
    r = c.put("%s/%s/config" % (AMPS, a["id"]))
    assert r.status == 202, r
    # only an amphora in ERROR may be deleted
    r = c.delete("%s/%s" % (AMPS, a["id"]))
    h.assert_fault(r, 409, regex=r"(?i)^amphora %s is immutable and cannot be updated\.$" % a["id"])
    assert c.get("%s/%s" % (AMPS, a["id"])).json["amphora"]["status"] == "ALLOCATED"


def test_failover(c):
    lb = h.create_lb(c)
    old = amps_of(c, lb["id"])[0]
    r = c.put("%s/%s/failover" % (AMPS, old["id"]))
    assert r.status == 202, r
    assert r.text == ""
    st = c.get("%s/%s" % (LB, lb["id"])).json["loadbalancer"]["provisioning_status"]
    assert st in ("PENDING_UPDATE", "ACTIVE")
    r2 = c.put("%s/%s/failover" % (AMPS, old["id"]))
    if r2.status != 202:
        assert r2.status in (404, 409), r2
        h.assert_fault(r2, r2.status)
    h.wait_lb(c, lb["id"])
    h.poll_until(lambda: [a for a in amps_of(c, lb["id"]) if a["status"] == "ALLOCATED"], what="amphora after failover")
    live = [a for a in amps_of(c, lb["id"]) if a["status"] == "ALLOCATED"]
    assert len(live) == 1 and live[0]["loadbalancer_id"] == lb["id"]


def test_lb_cascade_delete_removes_amphora(c):
    lb = h.create_lb(c)
    a = amps_of(c, lb["id"])[0]
    h.cascade_delete(c, lb["id"])
    h.poll_until(lambda: [x for x in amps_of(c, lb["id"]) if x["status"] == "ALLOCATED"] == [],
                 what="no allocated amphora left")
    r = c.get("%s/%s" % (AMPS, a["id"]))
    assert r.status == 404 or r.json["amphora"]["status"] == "DELETED", r


def test_noop_amphora_port_and_compute_ids_are_uuids(c, lb):
    """As Octavia's noop drivers: clients (tempest) parse these as UUIDs."""
    a = amps_of(c, lb["id"])[0]
    for key in ("compute_id", "vrrp_port_id", "ha_port_id"):
        assert a[key] and h.UUID_RE.match(a[key]), (key, a)
    assert a["ha_port_id"] == lb["vip_port_id"]


def test_active_standby_flavor_gives_a_pair_and_failover_keeps_the_survivor(c):
    """A flavor with loadbalancer_topology ACTIVE_STANDBY: MASTER (100) and BACKUP (90), vrrp_id 1
    (Octavia's noop drivers record the pair too). Failover of the MASTER: the BACKUP becomes
    MASTER, a new amphora is the BACKUP; a load balancer without the flavor stays SINGLE."""
    fp = c.post("/v2/lbaas/flavorprofiles", {"flavorprofile": {
        "name": h.uniq("fp"), "provider_name": "amphora",
        "flavor_data": json.dumps({"loadbalancer_topology": "ACTIVE_STANDBY"})}})
    assert fp.status == 201, fp
    fl = c.post("/v2/lbaas/flavors", {"flavor": {"name": h.uniq("fl"),
                                                 "flavor_profile_id": fp.json["flavorprofile"]["id"]}})
    assert fl.status == 201, fl
    lb = h.create_lb(c, flavor_id=fl.json["flavor"]["id"])

    def roles():
        live = [a for a in amps_of(c, lb["id"]) if a["status"] == "ALLOCATED"]
        return {a["role"]: a for a in live} if len(live) == 2 else None
    pair = h.poll_until(roles, what="two amphorae")
    assert sorted(pair) == ["BACKUP", "MASTER"], pair
    assert (pair["MASTER"]["vrrp_priority"], pair["BACKUP"]["vrrp_priority"]) == (100, 90)
    assert pair["MASTER"]["vrrp_id"] == pair["BACKUP"]["vrrp_id"] == 1

    assert c.put("%s/%s/failover" % (AMPS, pair["MASTER"]["id"])).status == 202
    h.wait_lb(c, lb["id"])
    after = h.poll_until(lambda: (lambda r: r if r and pair["MASTER"]["id"] not in
                                  [a["id"] for a in r.values()] else None)(roles()),
                         what="pair rebuilt")
    assert after["MASTER"]["id"] == pair["BACKUP"]["id"] and after["MASTER"]["vrrp_priority"] == 100
    assert after["BACKUP"]["id"] not in (pair["MASTER"]["id"], pair["BACKUP"]["id"])
    assert after["BACKUP"]["vrrp_priority"] == 90

    # A load balancer failover replaces both, again as MASTER and BACKUP.
    assert c.put("%s/%s/failover" % (LB, lb["id"])).status == 202
    h.wait_lb(c, lb["id"])
    renewed = h.poll_until(lambda: (lambda r: r if r and not {a["id"] for a in r.values()} &
                                    {a["id"] for a in after.values()} else None)(roles()),
                           what="pair replaced")
    assert sorted(renewed) == ["BACKUP", "MASTER"]

    single = h.create_lb(c)
    assert [a["role"] for a in amps_of(c, single["id"])] == ["STANDALONE"]
