#!/usr/bin/python3
"""catalog.py KEYSTONE_V3_URL ADMIN_PASSWORD REGION TARGET_URL

Makes Keystone's catalog point the `load-balancer` service at TARGET_URL: creates the service
when missing and leaves exactly one public, internal and admin endpoint in REGION.
"""
import sys

from keystone_rest import Keystone

keystone, password, region, target = sys.argv[1:5]
call = Keystone(keystone, password).call
services = call('GET', '/services?type=load-balancer')['services']
if services:
    service_id = services[0]['id']
else:
    service_id = call('POST', '/services', {'service': {
        'type': 'load-balancer', 'name': 'octavia', 'enabled': True}})['service']['id']
kept = {}
for ep in call('GET', '/endpoints?service_id=' + service_id)['endpoints']:
    iface = ep['interface']
    if iface in kept or ep.get('region_id') != region:
        call('DELETE', '/endpoints/' + ep['id'])
    else:
        kept[iface] = ep
for iface in ('public', 'internal', 'admin'):
    ep = kept.get(iface)
    if ep is None:
        call('POST', '/endpoints', {'endpoint': {
            'service_id': service_id, 'interface': iface, 'region_id': region,
            'url': target, 'enabled': True}})
    elif ep['url'] != target or not ep.get('enabled', True):
        call('PATCH', '/endpoints/' + ep['id'], {'endpoint': {'url': target, 'enabled': True}})
