#!/usr/bin/env python3
"""The reference SCIM server, scim2-server, loaded with the benchmark's users, for bench/run.sh.

    scim_reference.py --port PORT --token TOKEN --users-file USERS.tsv [--skip K] [--limit N]
        [--warm-id UUID --warm-user-name NAME]

It builds the same application as the `scim2-server` command (RFC 7643 default schemas and
resource types, its in-memory storage, one static bearer token, a threaded WSGI server), then,
before serving, validates every user of USERS.tsv with the server's own User model and hands
them all to the storage's bulk setter (`InMemoryStorage.resources`), which stores and indexes
each (its unique values and, on the first filter, its equality index) as a POST would, without
a million HTTP round trips. Not through `create` one by one: `create` deep-copies each user
twice and checks uniqueness, which cost some 60% of the load (cProfile, 5,000 users), and the
users come from Rosetta, where userName and externalId are already unique. Each user keeps the
id it has in Rosetta and gets `meta` (resourceType, created, lastModified, version) as `create`
would give it, so both servers are read with the same ids and userNames. USERS.tsv: one user a line, tab separated: uuid, userName, givenName, familyName,
formatted name, email, externalId, active (1/0). `--skip` and `--limit` load a window of it
(the harness centres the window on the user it reads, so that user is loaded).

Then, still before serving, it sends the application itself (in process, no socket) one
`GET /v2/Users/{id}` and one `GET /v2/Users?filter=userName eq "..."` for the warm-up user: the
storage builds its userName equality index on the first such filter, walking every stored user
under its one lock (at 100,000 users that first request outlasted the harness's 30 s probe).
Timing it apart (`index_s`) keeps it out of both the probe and the measured scenario; the
steady state measured afterwards is the storage's indexed path.

It prints one JSON line (`loaded`, `load_s`, `index_s`, `warm_get`, `warm_filter` (status lines),
`rss_kib`) on stdout when it starts serving.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.parse
from wsgiref.simple_server import WSGIRequestHandler, make_server
from wsgiref.util import setup_testing_defaults

from scim2_models import Meta, ScimProvider
from scim2_server.memory import InMemoryStorage
from scim2_server.service import ScimService
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
from scim2_server.testserver.cli import ThreadingWSGIServer
from scim2_server.utils import (
    load_default_resource_types,
    load_default_schemas,
    load_default_service_provider_config,
)


class QuietHandler(WSGIRequestHandler):
    """The command's handler writes a line to stderr per request; the benchmark wants none."""

    def log_message(self, format, *args):  # noqa: A002, ANN001, ANN201 (base signature)
        pass


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def call(app, token: str, path: str, query: str = "") -> str:  # noqa: ANN001 (a WSGI app)
    """One GET through the WSGI application in this process; its status line."""
    environ: dict = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_ACCEPT": "application/scim+json",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
    }
    setup_testing_defaults(environ)
    status: list[str] = []

    def start_response(line, headers, exc_info=None):  # noqa: ANN001, ANN202, ARG001 (WSGI)
        status.append(line)
        return lambda _data: None

    for _chunk in app(environ, start_response):
        pass
    return status[0] if status else "no status"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--users-file", required=True)
    parser.add_argument("--skip", type=int, default=0, help="skip the first K users of the file")
    parser.add_argument("--limit", type=int, default=0, help="load at most N users (0: all)")
    parser.add_argument("--warm-id", default="", help="the user read once before serving")
    parser.add_argument("--warm-user-name", default="", help="its userName, filtered once")
    args = parser.parse_args(argv)

    config = load_default_service_provider_config()
    config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(), load_default_resource_types().values(), config=config
    )
    service = ScimService(provider, secret="bench")
    storage = InMemoryStorage()
    app = BearerTokenApplication(storage, provider, service=service, bearer_tokens=[args.token])

    user_type = service.get_resource_type("User")
    model = service.get_model(user_type)
    started = time.monotonic()
    users = []
    with open(args.users_file, encoding="utf-8") as f:
        for number, line in enumerate(f):
            if number < args.skip:
                continue
            if args.limit and len(users) >= args.limit:
                break
            uuid, user_name, given, family, formatted, email, external_id, active = line.rstrip("\n").split("\t")
            user = model.model_validate(
                {
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": user_name,
                    "externalId": external_id or None,
                    "name": {"givenName": given, "familyName": family, "formatted": formatted},
                    "displayName": formatted,
                    "emails": [{"value": email, "type": "work", "primary": True}],
                    "active": active == "1",
                }
            )
            user.id = uuid
            now = storage.clock()
            user.meta = Meta(
                resource_type=user_type.name, created=now, last_modified=now, version=storage.next_version()
            )
            users.append(user)
    storage.resources = users
    loaded = len(users)
    del users
    load_s = time.monotonic() - started

    warm_get = warm_filter = "not asked"
    index_s = 0.0
    if args.warm_id:
        warm_get = call(app, args.token, f"/v2/Users/{args.warm_id}")
    if args.warm_user_name:
        started = time.monotonic()
        query = urllib.parse.urlencode({"filter": f'userName eq "{args.warm_user_name}"'})
        warm_filter = call(app, args.token, "/v2/Users", query)
        index_s = time.monotonic() - started

    with make_server(
        "127.0.0.1", args.port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    ) as server:
        ready = {
            "loaded": loaded,
            "skipped": args.skip,
            "load_s": round(load_s, 2),
            "index_s": round(index_s, 2),
            "warm_get": warm_get,
            "warm_filter": warm_filter,
            "rss_kib": rss_kib(),
        }
        print(json.dumps(ready), flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
