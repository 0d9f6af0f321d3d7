// Drives the Rosetta v2 dialect with ServiceStack's own npm client, @servicestack/client's
// JsonServiceClient, the way an integrator's TypeScript code does: camelCase DTOs (what
// ServiceStack's `x typescript` generates), `jsconfig=EmitCamelCaseNames:true` on every call for
// a server that is not camelCase by default, no `format` parameter (the client sends none).
// Every check prints `PASS|FAIL ts/name: detail`.
import { JsonServiceClient, toDate } from "@servicestack/client";

const base = (process.env.ROSETTA_V2_BASE_URL || "").replace(/\/$/, "");
const companyId = process.env.ROSETTA_V2_COMPANY_ID;
const key = process.env.ROSETTA_V2_INTEGRATION_KEY;
if (!base || !companyId || !key) {
  console.error("set ROSETTA_V2_BASE_URL, ROSETTA_V2_COMPANY_ID, ROSETTA_V2_INTEGRATION_KEY");
  process.exit(2);
}
let run = "ts" + Date.now();
let passed = 0, failed = 0;
let pass = "";

function check(name, ok, detail) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ts/${pass}${name}: ${detail}`);
}
const show = (v) => (v === undefined ? "undefined" : JSON.stringify(v));
function eq(name, want, got) {
  const ok = JSON.stringify(want) === JSON.stringify(got);
  check(name, ok, ok ? show(got) : `want ${show(want)}, got ${show(got)}`);
}
const trim = (s) => (s.length > 300 ? s.slice(0, 300) + "..." : s);
function describe(e) {
  if (e && e.responseStatus) return `${e.responseStatus.errorCode}: ${e.responseStatus.message}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : trim(JSON.stringify(e));
}

// The DTOs as ServiceStack generates them for TypeScript.
class User {
  constructor(init) { Object.assign(this, init); }
  getTypeName() { return "User"; }
  getMethod() { return "POST"; }
  createResponse() { return {}; }
}
class UserSearch {
  constructor(init) { Object.assign(this, init); }
  getTypeName() { return "UserSearch"; }
  getMethod() { return "POST"; }
  createResponse() { return {}; }
}

const client = new JsonServiceClient(base);
let auth;

// One call, its answer or the client's exception; a thrown error becomes a failed check.
async function call(name, f) {
  try { return { res: await f() }; }
  catch (e) { return { err: e }; }
}

function checkUser(name, want, got, id) {
  if (!got || typeof got !== "object") { check(`${name}.user`, false, `no user: ${trim(show(got))}`); return; }
  eq(`${name}.id`, id, got.id);
  eq(`${name}.companyId`, Number(companyId), got.companyId);
  eq(`${name}.externalId`, want.externalId, got.externalId);
  eq(`${name}.firstName`, want.firstName, got.firstName);
  eq(`${name}.lastName`, want.lastName, got.lastName);
  eq(`${name}.email`, want.email, got.email);
  eq(`${name}.status`, "Active", got.status);
  eq(`${name}.folders`, want.folders, got.folders);
  eq(`${name}.groups`, want.groups, got.groups);
  eq(`${name}.userDevices`, [], got.userDevices);
  for (const d of ["createdDate", "lastUpdated"]) {
    const t = got[d] ? toDate(got[d]) : null;
    check(`${name}.${d}`, t && Math.abs(Date.now() - t.getTime()) < 600000, show(got[d]));
  }
  eq(`${name}.password`, undefined, got.password);
}

function checkError(name, r, status, code, fields) {
  if (!r.err) { check(`${name} throws`, false, `answered ${trim(show(r.res))}`); return; }
  const e = r.err;
  const rs = e.responseStatus;
  if (!rs) { check(`${name} responseStatus`, false, describe(e)); return; }
  eq(`${name} errorCode`, code, rs.errorCode);
  // A numeric errorCode is the client's own stand-in (createErrorResponse: status and reason
  // phrase) when it found no responseStatus in the body; its message is no server message.
  const synthesized = rs.errorCode === String(status) || /^\d+$/.test(String(rs.errorCode));
  check(`${name} message`, !synthesized && typeof rs.message === "string" && rs.message.length > 0,
    synthesized ? `client-made ${show(rs.message)}, the body had no responseStatus` : show(rs.message));
  if (fields) {
    eq(`${name} errors[].fieldName`, fields, (rs.errors || []).map((x) => x.fieldName));
    for (const x of rs.errors || []) check(`${name} errors[${x.fieldName}].message`, !!x.message, show(x.message));
  }
}

const FOLDER = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
const GROUPS = ["0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"];

async function flows() {
  const jo = { firstName: "Jo", lastName: "Bloggs", email: `${run}.jo@example.com`, externalId: `SAP-${run}`,
    folders: [FOLDER], groups: GROUPS, password: `s3cret-${run}`, doNotEmail: true };
  const created = await call("create", () => client.postToUrl("/api/v2/user", new User(jo), auth));
  if (created.err) check("create", false, describe(created.err));
  else if (!created.res.user) check("create.user", false, `no user member: ${trim(show(created.res))}`);
  // The Id, by any route that works, so that the later flows still run and report.
  let id = created.res && created.res.user && created.res.user.id;
  if (!id) {
    const raw = await fetch(`${base}/api/v2/user?format=json&CompanyId=${companyId}&IntegrationKey=${encodeURIComponent(key)}&Email=${encodeURIComponent(jo.email)}`);
    const text = await raw.text();
    let m = /"Id":"([0-9a-f-]{36})"/i.exec(text);
    if (!m) {
      // Not created at all (the camelCase body unread): create it in PascalCase, as a fallback.
      const body = JSON.stringify({ FirstName: jo.firstName, LastName: jo.lastName, Email: jo.email, ExternalId: jo.externalId,
        Folders: jo.folders, Groups: jo.groups, Password: jo.password, DoNotEmail: true });
      const c = await fetch(`${base}/api/v2/user?format=json&CompanyId=${companyId}&IntegrationKey=${encodeURIComponent(key)}`,
        { method: "POST", headers: { "Content-Type": "application/json" }, body });
      m = /"Id":"([0-9a-f-]{36})"/i.exec(await c.text());
    }
    if (!m) { check("created user found", false, trim(text)); return; }
    id = m[1];
  } else {
    checkUser("create", jo, created.res.user, id);
    eq("create responseStatus", undefined, created.res.responseStatus);
  }

  for (const [by, value] of [["Id", id], ["Email", jo.email.toUpperCase()], ["ExternalId", jo.externalId]]) {
    const r = await call(`get ${by}`, () => client.get("/api/v2/user", { ...auth, [by]: value }));
    if (r.err) { check(`get ${by}`, false, describe(r.err)); continue; }
    checkUser(`get ${by}`, jo, r.res.user, id);
  }
  const ext = await call("get .json", () => client.get("/api/v2/user.json", { ...auth, Id: id }));
  check("get /api/v2/user.json", !ext.err && ext.res.user && ext.res.user.id === id, ext.err ? describe(ext.err) : trim(show(ext.res)));

  // Search paging: three users sharing a name, pages of two.
  for (let i = 0; i < 3; i++) {
    const r = await call("setup", () => client.postToUrl("/api/v2/user",
      new User({ firstName: `Pager${run}`, lastName: `N${i}`, email: `${run}.p${i}@example.com`, doNotEmail: true }), auth));
    check(`search setup create ${i}`, !r.err, r.err ? describe(r.err) : "ok");
  }
  const seen = [], order = [];
  for (const page of [0, 1]) {
    const r = await call("search", () => client.get("/api/v2/user/search", { ...auth, Name: `pager${run}`, PageSize: 2, PageNo: page }));
    if (r.err) { check(`search page ${page}`, false, describe(r.err)); continue; }
    eq(`search page ${page} totalRows`, 3, r.res.totalRows);
    eq(`search page ${page} pageNo`, page, r.res.pageNo);
    eq(`search page ${page} pageSize`, 2, r.res.pageSize);
    const users = r.res.users || [];
    eq(`search page ${page} users.length`, page === 0 ? 2 : 1, users.length);
    for (const u of users) { eq(`search page ${page} status`, "Pending", u.status); seen.push(u.id); order.push(u.lastName); }
  }
  eq("search pages distinct", 3, new Set(seen).size);
  // v2.md: ordered by the users' internal id, which grows: the order they were created in.
  check("search ordered by creation", order.join() === "N0,N1,N2", order.join());
  const ps = await call("search POST", () => client.postToUrl("/api/v2/user/search", new UserSearch({ name: `pager${run}`, status: "Pending" }), auth));
  check("search POST totalRows", !ps.err && ps.res.totalRows === 3, ps.err ? describe(ps.err) : trim(show(ps.res)));

  // Errors: the client throws the envelope, camelCased by its own sanitize().
  checkError("401 wrong key", await call("", () => client.get("/api/v2/user", { ...auth, IntegrationKey: "wrong", Id: id })), 401, "Unauthorized");
  checkError("404 unknown id", await call("", () => client.get("/api/v2/user", { ...auth, Id: "00000000-0000-4000-8000-000000000001" })), 404, "NotFound");
  checkError("400 validation", await call("", () => client.postToUrl("/api/v2/user", new User({ email: `${run}.x@example.com` }), auth)), 400, "ValidationException", ["FirstName", "LastName"]);
  checkError("400 PageSize", await call("", () => client.get("/api/v2/user/search", { ...auth, Name: "jo", PageSize: 251 })), 400, "ValidationException", ["PageSize"]);
  checkError("409 conflict", await call("", () => client.postToUrl("/api/v2/user", new User({ firstName: "Jo", lastName: "Again", email: jo.email.toUpperCase() }), auth)), 409, "Conflict");
  const keazId = process.env.ROSETTA_V2_KEAZ_USER_ID;
  if (keazId) checkError("403 delete keaz holder", await call("", () => client.delete("/api/v2/user", { ...auth, Id: keazId })), 403, "Forbidden");

  const del = await call("delete", () => client.delete("/api/v2/user", { ...auth, Id: id }));
  if (del.err) check("delete", false, describe(del.err)); else checkUser("delete", jo, del.res.user, id);
  checkError("404 after delete", await call("", () => client.get("/api/v2/user", { ...auth, Id: id })), 404, "NotFound");
  const audit = await call("audit", () => client.get("/api/v2/user/search", { ...auth, Email: jo.email, IncludeDeletedUserAudits: true }));
  const d = audit.res && (audit.res.deletedUsers || []).find((x) => x.id === id);
  check("search deletedUsers has the user", !!d, audit.err ? describe(audit.err) : trim(show(audit.res)));
}

// First as the client sends it (no format: the answer's format is the server's choice by
// Accept, which this client leaves at fetch's */*), then with `format=json` added, the
// workaround an integrator reaches for, so that what lies behind defect 6 shows too.
const base_auth = { CompanyId: companyId, IntegrationKey: key, jsconfig: "EmitCamelCaseNames:true" };
for (const [label, extra] of [["", {}], ["format=json/", { format: "json" }]]) {
  pass = label;
  auth = { ...base_auth, ...extra };
  run = "ts" + Date.now();
  try { await flows(); } catch (e) { check("unexpected exception", false, describe(e)); }
}
console.log(`ts: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
