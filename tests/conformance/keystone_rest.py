"""Keystone's REST API as its bootstrap admin, for setup.sh and run.sh (python3-requests)."""
import sys

import requests


class Keystone:
    def __init__(self, url, password):
        self.url = url.rstrip('/')
        self.session = requests.Session()
        # uwsgi's http-socket closes after each answer
        self.session.headers['Connection'] = 'close'
        auth = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': 'admin', 'domain': {'id': 'default'}, 'password': password}}},
            'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
        answer = self.session.post(self.url + '/auth/tokens', json=auth, timeout=60)
        answer.raise_for_status()
        self.session.headers['X-Auth-Token'] = answer.headers['X-Subject-Token']

    def call(self, method, path, body=None):
        resp = self.session.request(method, self.url + path, json=body, timeout=60)
        if resp.status_code >= 400:
            sys.exit('%s %s: %s %s' % (method, path, resp.status_code, resp.text))
        return resp.json() if resp.content else None

    def find(self, collection, name):
        """The id of the object called `name` in `collection`, or None."""
        found = self.call('GET', '/%s?name=%s' % (collection, name))[collection]
        return found[0]['id'] if found else None
