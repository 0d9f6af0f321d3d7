#!/usr/bin/env python3
"""The reference SCIM server, scim2-server, loaded with the benchmark's users, for bench/run.sh.

    scim_reference.py --port PORT --token TOKEN --users-file USERS.tsv [--limit N]

It builds the same application as the `scim2-server` command (RFC 7643 default schemas and
resource types, its in-memory storage, one static bearer token, a threaded WSGI server), then,
before serving, stores every user of USERS.tsv through the storage's own `create` (so its
uniqueness and equality indexes are built as for a POST, without a million HTTP round trips).
Each user keeps the id it has in Rosetta, so both servers are read with the same ids and
userNames. USERS.tsv: one user a line, tab separated: uuid, userName, givenName, familyName,
formatted name, email, externalId, active (1/0).

It prints one JSON line (`loaded`, `load_s`, `rss_kib`) on stdout when it starts serving.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

from scim2_models import ScimProvider
from scim2_server.memory import InMemoryStorage
from scim2_server.service import ScimService
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
from scim2_server.testserver.cli import ThreadingWSGIServer
from scim2_server.utils import (
    load_default_resource_types,
    load_default_schemas,
    load_default_service_provider_config,
)


class KnownIdStorage(InMemoryStorage):
    """Stores a loaded user under the id it was given; a POST still gets a fresh one."""

    next_id: str | None = None

    def generate_id(self, resource_type, resource):  # noqa: ANN001, ANN201 (base signature)
        if self.next_id is not None:
            given, self.next_id = self.next_id, None
            return given
        return super().generate_id(resource_type, resource)


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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--users-file", required=True)
    parser.add_argument("--limit", type=int, default=0, help="load at most N users (0: all)")
    args = parser.parse_args(argv)

    config = load_default_service_provider_config()
    config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(), load_default_resource_types().values(), config=config
    )
    service = ScimService(provider, secret="bench")
    storage = KnownIdStorage()
    app = BearerTokenApplication(storage, provider, service=service, bearer_tokens=[args.token])

    user_type = service.get_resource_type("User")
    model = service.get_model(user_type)
    started = time.monotonic()
    loaded = 0
    with open(args.users_file, encoding="utf-8") as f:
        for line in f:
            if args.limit and loaded >= args.limit:
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
            storage.next_id = uuid
            storage.create(user_type, user)
            loaded += 1
    load_s = time.monotonic() - started

    with make_server(
        "127.0.0.1", args.port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    ) as server:
        print(json.dumps({"loaded": loaded, "load_s": round(load_s, 2), "rss_kib": rss_kib()}), flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
