#!/usr/bin/env python3
"""Run the public SCIM 2.0 compliance suite (scim2-tester) against a server.

    compliance.py --base-url URL --token TOKEN     # or ROSETTA_SCIM_BASE_URL / ROSETTA_SCIM_TOKEN
    compliance.py --reference                      # against scim2-server, started here

Every check of scim2-tester for the User and Group resource types is run. Each failed check is
printed with its reason, then one closing line `N passed, M failed`. The exit status is 0 only
when no check failed (and at least one ran: a server that answers nothing must not look green).

A check fails when its status is ERROR or CRITICAL (a MUST of RFC 7643/7644 broken, or a
security problem). DEVIATION (a SHOULD not followed) is printed as a warning but counted as
passed, as scim2-tester itself ranks it "within specification bounds"; --strict counts it failed.
SKIPPED checks (a feature the server does not announce) are neither, and are counted apart.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from collections.abc import Iterator

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

RESOURCE_TYPES = ["User", "Group"]
FAILED = {Status.ERROR, Status.CRITICAL}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--base-url",
        default=os.environ.get("ROSETTA_SCIM_BASE_URL"),
        help="SCIM base URL, e.g. http://127.0.0.1:8080/scim/v2 (env ROSETTA_SCIM_BASE_URL)",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("ROSETTA_SCIM_TOKEN"),
        help="Bearer token (env ROSETTA_SCIM_TOKEN)",
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="start the reference server scim2-server on a free loopback port and check it",
    )
    parser.add_argument("--strict", action="store_true", help="count DEVIATION checks as failed")
    parser.add_argument("--verbose", action="store_true", help="print every check, not only the failed ones")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request")
    args = parser.parse_args(argv)
    if not args.reference and not args.base_url:
        parser.error("give --base-url (or ROSETTA_SCIM_BASE_URL), or --reference")
    if not args.reference and not args.token:
        parser.error("give --token (or ROSETTA_SCIM_TOKEN)")
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def reference_server(token: str) -> Iterator[str]:
    """Start scim2-server on loopback with one bearer token; yield its base URL; stop it."""
    port = free_port()
    # The console script sits beside this interpreter in a venv; fall back to PATH.
    exe = os.path.join(os.path.dirname(sys.executable), "scim2-server")
    cmd = [exe if os.path.exists(exe) else "scim2-server", "--port", str(port), "--bearer-token", token]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v2"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"scim2-server exited with {proc.returncode} before serving")
            try:
                httpx2.get(f"{base}/ServiceProviderConfig", timeout=1.0)
                break
            except httpx2.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("scim2-server did not answer within 30 s")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(base_url: str, token: str, strict: bool, verbose: bool, timeout: float) -> int:
    failed_statuses = FAILED | ({Status.DEVIATION} if strict else set())
    # A trailing slash keeps httpx2 joining "Users" under the base path, not beside it.
    http = httpx2.Client(
        base_url=base_url.rstrip("/") + "/",
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout,
    )
    with http:
        client = SyncSCIMClient(http)
        results = check_server(client, resource_types=RESOURCE_TYPES)

    passed = failed = skipped = 0
    for r in results:
        label = f"{r.resource_type or '-'}: {r.title}"
        if r.status == Status.SKIPPED:
            skipped += 1
            if verbose:
                print(f"SKIPPED   {label}: {r.reason}")
        elif r.status in failed_statuses:
            failed += 1
            print(f"FAILED    {label} [{r.status.name}]: {r.reason}")
            if r.data is not None:
                print(f"          data: {r.data!r}"[:2000])
        else:
            passed += 1
            if r.status == Status.DEVIATION:
                print(f"DEVIATION {label}: {r.reason}")
            elif verbose:
                print(f"ok        {label} [{r.status.name}]")
    print(f"{skipped} checks skipped (features the server does not announce)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.reference:
        token = args.token or secrets.token_urlsafe(24)
        with reference_server(token) as base:
            print(f"reference server scim2-server at {base}")
            return run(base, token, args.strict, args.verbose, args.timeout)
    return run(args.base_url, args.token, args.strict, args.verbose, args.timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
