#!/usr/bin/python3
"""provision.py KEYSTONE_V3_URL ADMIN_PASSWORD SERVICE_USER SERVICE_PASSWORD SERVICE_PROJECT

Idempotent: the roles tempest's dynamic credentials assign, and the service user (roles `service`
and `admin` in its project) that octane validates tokens with.
"""
import sys

from keystone_rest import Keystone

url, password, svc_user, svc_password, svc_project = sys.argv[1:6]
ks = Keystone(url, password)
roles = {}
for name in ('admin', 'member', 'reader', 'service', 'load-balancer_member',
             'load-balancer_admin', 'load-balancer_observer', 'load-balancer_global_observer',
             'load-balancer_quota_admin'):
    roles[name] = ks.find('roles', name) or ks.call(
        'POST', '/roles', {'role': {'name': name}})['role']['id']
project = ks.find('projects', svc_project) or ks.call('POST', '/projects', {'project': {
    'name': svc_project, 'domain_id': 'default'}})['project']['id']
user = ks.find('users', svc_user) or ks.call('POST', '/users', {'user': {
    'name': svc_user, 'password': svc_password, 'domain_id': 'default',
    'default_project_id': project}})['user']['id']
for name in ('service', 'admin'):
    ks.call('PUT', '/projects/%s/users/%s/roles/%s' % (project, user, roles[name]))
