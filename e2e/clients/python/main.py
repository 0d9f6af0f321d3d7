"""Drives the Rosetta v2 dialect with ServiceStack's PyPI client (`servicestack`), as an
integrator's Python code does: DTOs as ServiceStack generates them for Python (snake_case
fields, camelCase on the wire), `jsconfig=EmitCamelCaseNames:true` on every call, the client's
own `Accept: application/json` and no `format` parameter; then once more with `format=json`.
Every check prints `PASS|FAIL python/name: detail`.
"""
import json
import os
import re
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List, Optional

from dataclasses_json import LetterCase, Undefined, dataclass_json
from servicestack import IReturn, JsonServiceClient, ResponseStatus, WebServiceException

BASE = os.environ.get("ROSETTA_V2_BASE_URL", "").rstrip("/")
COMPANY_ID = os.environ.get("ROSETTA_V2_COMPANY_ID")
KEY = os.environ.get("ROSETTA_V2_INTEGRATION_KEY")
if not BASE or not COMPANY_ID or not KEY:
    print("set ROSETTA_V2_BASE_URL, ROSETTA_V2_COMPANY_ID, ROSETTA_V2_INTEGRATION_KEY", file=sys.stderr)
    sys.exit(2)


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class UserDevice:
    id: Optional[str] = None
    name: Optional[str] = None
    os: Optional[str] = None
    app_version: Optional[str] = None
    last_used: Optional[datetime] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class User:
    id: Optional[str] = None
    company_id: int = 0
    external_id: Optional[str] = None
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None
    status: Optional[str] = None
    last_activity: Optional[datetime] = None
    folders: Optional[List[str]] = None
    groups: Optional[List[str]] = None
    website_role: Optional[str] = None
    user_devices: Optional[List[UserDevice]] = None
    created_date: Optional[datetime] = None
    last_updated: Optional[datetime] = None
    password: Optional[str] = None
    do_not_email: Optional[bool] = None
    reset_password: Optional[bool] = None
    integration_key: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class UserResponse:
    user: Optional[User] = None
    response_status: Optional[ResponseStatus] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class DeletedUser:
    id: Optional[str] = None
    email: Optional[str] = None
    deleted_by: Optional[str] = None
    deleted_date: Optional[datetime] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class UserSearchResponse:
    users: Optional[List[User]] = None
    total_rows: int = 0
    page_no: int = 0
    page_size: int = 0
    response_status: Optional[ResponseStatus] = None
    deleted_users: Optional[List[DeletedUser]] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class UserSearch(IReturn[UserSearchResponse]):
    name: Optional[str] = None
    status: Optional[str] = None


passed = failed = 0
label = ""


def check(name, ok, detail):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(f"{'PASS' if ok else 'FAIL'} python/{label}{name}: {detail}", flush=True)


def trim(s):
    s = str(s)
    return s if len(s) <= 300 else s[:300] + "..."


def eq(name, want, got):
    ok = want == got
    check(name, ok, repr(got) if ok else f"want {want!r}, got {got!r}")


def describe(e):
    if isinstance(e, WebServiceException):
        rs = e.response_status
        return f"WebServiceException {e.status_code} response_status={rs}"
    return f"{type(e).__name__}: {trim(e)}"


def attempt(f):
    try:
        return f(), None
    except Exception as e:  # the check reports whatever the client raised
        return None, e


FOLDER = "6f9619ff-8b86-d011-b42d-00c04fc964ff"
GROUPS = ["0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"]


def check_user(name, want: User, got: Optional[User], uid):
    if got is None:
        check(f"{name}.user", False, "no user")
        return
    eq(f"{name}.id", uid, got.id)
    eq(f"{name}.company_id", int(COMPANY_ID), got.company_id)
    eq(f"{name}.external_id", want.external_id, got.external_id)
    eq(f"{name}.first_name", want.first_name, got.first_name)
    eq(f"{name}.last_name", want.last_name, got.last_name)
    eq(f"{name}.email", want.email, got.email)
    eq(f"{name}.status", "Active", got.status)
    eq(f"{name}.folders", want.folders, got.folders)
    eq(f"{name}.groups", want.groups, got.groups)
    eq(f"{name}.user_devices", [], got.user_devices)
    now = datetime.now(timezone.utc)
    for d in ("created_date", "last_updated"):
        v = getattr(got, d)
        ok = isinstance(v, datetime) and abs((now - v.astimezone(timezone.utc)).total_seconds()) < 600
        check(f"{name}.{d}", ok, repr(v))
    eq(f"{name}.password", None, got.password)


def check_error(name, res, err, status, code, fields=None):
    if err is None:
        check(f"{name} raises", False, f"answered {trim(res)}")
        return
    if not isinstance(err, WebServiceException):
        check(f"{name} raises WebServiceException", False, describe(err))
        return
    eq(f"{name} status_code", status, err.status_code)
    rs = err.response_status
    if rs is None:
        check(f"{name} response_status", False, "None: the client found no responseStatus in the body")
        return
    eq(f"{name} error_code", code, rs.error_code)
    check(f"{name} message", bool(rs.message), repr(rs.message))
    if fields is not None:
        eq(f"{name} errors[].field_name", fields, [e.field_name for e in (rs.errors or [])])
        for e in rs.errors or []:
            check(f"{name} errors[{e.field_name}].message", bool(e.message), repr(e.message))


def raw_json(method, path, body=None):
    """The gateway without the client, only to find an Id when the client cannot."""
    url = f"{BASE}{path}{'&' if '?' in path else '?'}format=json&CompanyId={COMPANY_ID}&IntegrationKey={KEY}"
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.read().decode()
    except Exception as e:  # only a fallback; the caller reports what it lacks
        return str(e)


def flows(auth, run):
    client = JsonServiceClient(BASE)
    jo = User(first_name="Jo", last_name="Bloggs", email=f"{run}.jo@example.com", external_id=f"SAP-{run}",
              folders=[FOLDER], groups=GROUPS, password=f"s3cret-{run}", do_not_email=True)
    res, err = attempt(lambda: client.post_url("/api/v2/user", jo, UserResponse, auth))
    uid = res.user.id if res is not None and res.user is not None else None
    if err is not None:
        check("create", False, describe(err))
    elif uid is None:
        check("create.user", False, f"no user in {trim(res)}")
    else:
        check_user("create", jo, res.user, uid)
    if uid is None:
        text = raw_json("GET", f"/api/v2/user?Email={jo.email}")
        m = re.search(r'"Id":"([0-9a-f-]{36})"', text)
        if not m:
            body = {"FirstName": "Jo", "LastName": "Bloggs", "Email": jo.email, "ExternalId": jo.external_id,
                    "Folders": jo.folders, "Groups": jo.groups, "Password": jo.password, "DoNotEmail": True}
            m = re.search(r'"Id":"([0-9a-f-]{36})"', raw_json("POST", "/api/v2/user", body))
        if not m:
            check("created user found", False, trim(text))
            return
        uid = m.group(1)

    for by, value in (("Id", uid), ("Email", jo.email.upper()), ("ExternalId", jo.external_id)):
        res, err = attempt(lambda: client.get_url("/api/v2/user", UserResponse, {**auth, by: value}))
        if err is not None:
            check(f"get {by}", False, describe(err))
        else:
            check_user(f"get {by}", jo, res.user, uid)

    for i in range(3):
        u = User(first_name=f"Pager{run}", last_name=f"N{i}", email=f"{run}.p{i}@example.com", do_not_email=True)
        _, err = attempt(lambda: client.post_url("/api/v2/user", u, UserResponse, auth))
        check(f"search setup create {i}", err is None, describe(err) if err else "ok")
    seen, order = [], []
    for page in (0, 1):
        res, err = attempt(lambda: client.get_url("/api/v2/user/search", UserSearchResponse,
                                                  {**auth, "Name": f"pager{run}", "PageSize": 2, "PageNo": page}))
        if err is not None:
            check(f"search page {page}", False, describe(err))
            continue
        eq(f"search page {page} total_rows", 3, res.total_rows)
        eq(f"search page {page} page_no", page, res.page_no)
        eq(f"search page {page} page_size", 2, res.page_size)
        users = res.users or []
        eq(f"search page {page} len(users)", 2 if page == 0 else 1, len(users))
        for u in users:
            eq(f"search page {page} status", "Pending", u.status)
            seen.append(u.id)
            order.append(u.last_name)
    eq("search pages distinct", 3, len(set(seen)))
    # v2.md: ordered by the users' internal id, which grows: the order they were created in.
    check("search ordered by creation", order == ["N0", "N1", "N2"], repr(order))
    res, err = attempt(lambda: client.post_url("/api/v2/user/search", UserSearch(name=f"pager{run}", status="Pending"),
                                               UserSearchResponse, auth))
    check("search POST total_rows", err is None and res.total_rows == 3, describe(err) if err else trim(res))

    def err_of(f):
        return attempt(f)

    check_error("401 wrong key", *err_of(lambda: client.get_url("/api/v2/user", UserResponse, {**auth, "IntegrationKey": "wrong", "Id": uid})), 401, "Unauthorized")
    check_error("404 unknown id", *err_of(lambda: client.get_url("/api/v2/user", UserResponse, {**auth, "Id": "00000000-0000-4000-8000-000000000001"})), 404, "NotFound")
    check_error("400 validation", *err_of(lambda: client.post_url("/api/v2/user", User(email=f"{run}.x@example.com"), UserResponse, auth)), 400, "ValidationException", ["FirstName", "LastName"])
    check_error("400 PageSize", *err_of(lambda: client.get_url("/api/v2/user/search", UserSearchResponse, {**auth, "Name": "jo", "PageSize": 251})), 400, "ValidationException", ["PageSize"])
    check_error("409 conflict", *err_of(lambda: client.post_url("/api/v2/user", User(first_name="Jo", last_name="Again", email=jo.email.upper()), UserResponse, auth)), 409, "Conflict")
    keaz = os.environ.get("ROSETTA_V2_KEAZ_USER_ID")
    if keaz:
        check_error("403 delete keaz holder", *err_of(lambda: client.delete_url("/api/v2/user", UserResponse, {**auth, "Id": keaz})), 403, "Forbidden")

    res, err = attempt(lambda: client.delete_url("/api/v2/user", UserResponse, {**auth, "Id": uid}))
    if err is not None:
        check("delete", False, describe(err))
    else:
        check_user("delete", jo, res.user, uid)
    check_error("404 after delete", *err_of(lambda: client.get_url("/api/v2/user", UserResponse, {**auth, "Id": uid})), 404, "NotFound")
    res, err = attempt(lambda: client.get_url("/api/v2/user/search", UserSearchResponse,
                                              {**auth, "Email": jo.email, "IncludeDeletedUserAudits": True}))
    d = [x for x in (res.deleted_users or [])] if res is not None else []
    check("search deleted_users has the user", any(x.id == uid for x in d), describe(err) if err else trim(res))


def main():
    global label
    base_auth = {"CompanyId": COMPANY_ID, "IntegrationKey": KEY, "jsconfig": "EmitCamelCaseNames:true"}
    for label, extra in (("", {}), ("format=json/", {"format": "json"})):
        try:
            flows({**base_auth, **extra}, f"py{int(time.time() * 1000)}")
        except Exception as e:  # a crash is one failed check, not a silent exit
            check("unexpected exception", False, describe(e))
    print(f"python: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
