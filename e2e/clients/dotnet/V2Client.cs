// Drives the Rosetta v2 dialect the way a stock .NET integration does: the document's types
// declared as ServiceStack declares them, DataContractSerializer for XML, HttpClient for HTTP.
// DataContractSerializer skips an element that arrives out of its declared order without a
// word, so every check compares values; "it parsed" proves nothing.
//
// Build: mcs -out:V2Client.exe -r:System.Net.Http -r:System.Runtime.Serialization -r:System.Xml V2Client.cs
// Run:   ROSETTA_V2_BASE_URL=... ROSETTA_V2_COMPANY_ID=... ROSETTA_V2_INTEGRATION_KEY=... mono V2Client.exe
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;

namespace Rosetta.Clients
{
    // ServiceStack's own ResponseStatus: the order is declared, not alphabetical.
    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class ResponseStatus
    {
        [DataMember(Order = 1)] public string ErrorCode { get; set; }
        [DataMember(Order = 2)] public string Message { get; set; }
        [DataMember(Order = 3)] public string StackTrace { get; set; }
        [DataMember(Order = 4)] public List<ResponseError> Errors { get; set; }
        [DataMember(Order = 5)] public Dictionary<string, string> Meta { get; set; }
    }

    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class ResponseError
    {
        [DataMember(Order = 1)] public string ErrorCode { get; set; }
        [DataMember(Order = 2)] public string FieldName { get; set; }
        [DataMember(Order = 3)] public string Message { get; set; }
        [DataMember(Order = 4)] public Dictionary<string, string> Meta { get; set; }
    }

    // The document's types: no Order, so DataContractSerializer expects alphabetical elements.
    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class UserDevice
    {
        [DataMember] public string Id { get; set; }
        [DataMember] public string Name { get; set; }
        [DataMember] public string OS { get; set; }
        [DataMember] public string AppVersion { get; set; }
        [DataMember] public DateTime LastUsed { get; set; }
    }

    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class User
    {
        [DataMember] public Guid Id { get; set; }
        [DataMember] public int CompanyId { get; set; }
        [DataMember] public string ExternalId { get; set; }
        [DataMember] public string FirstName { get; set; }
        [DataMember] public string LastName { get; set; }
        [DataMember] public string Email { get; set; }
        [DataMember] public string Status { get; set; }
        [DataMember] public DateTime LastActivity { get; set; }
        [DataMember] public List<Guid> Folders { get; set; }
        [DataMember] public List<Guid> Groups { get; set; }
        [DataMember] public string WebsiteRole { get; set; }
        [DataMember] public List<UserDevice> UserDevices { get; set; }
        [DataMember] public DateTime CreatedDate { get; set; }
        [DataMember] public DateTime LastUpdated { get; set; }
        [DataMember] public string Password { get; set; }
        [DataMember] public bool DoNotEmail { get; set; }
        [DataMember] public bool ResetPassword { get; set; }
        [DataMember] public string IntegrationKey { get; set; }
    }

    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class UserResponse
    {
        [DataMember] public User User { get; set; }
        [DataMember] public ResponseStatus ResponseStatus { get; set; }
    }

    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class DeletedUser
    {
        [DataMember] public Guid Id { get; set; }
        [DataMember] public string Email { get; set; }
        [DataMember] public string DeletedBy { get; set; }
        [DataMember] public DateTime DeletedDate { get; set; }
    }

    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class UserSearchResponse
    {
        [DataMember] public List<User> Users { get; set; }
        [DataMember] public long TotalRows { get; set; }
        [DataMember] public int PageNo { get; set; }
        [DataMember] public int PageSize { get; set; }
        [DataMember] public ResponseStatus ResponseStatus { get; set; }
        [DataMember] public List<DeletedUser> DeletedUsers { get; set; }
    }

    [DataContract(Namespace = "http://schemas.servicestack.net/types")]
    public class UserSearch
    {
        [DataMember] public string Name { get; set; }
        [DataMember] public string Status { get; set; }
        [DataMember] public int PageNo { get; set; }
        [DataMember] public int PageSize { get; set; }
    }

    class Answer
    {
        public HttpStatusCode Status;
        public string ContentType;
        public byte[] Body;
        public string Text { get { return Encoding.UTF8.GetString(Body); } }
    }

    class Program
    {
        static int passed, failed;
        static HttpClient http = new HttpClient();
        static string baseUrl, companyId, key, run;

        static void Check(string name, bool ok, string detail)
        {
            if (ok) passed++; else failed++;
            Console.WriteLine("{0} dotnet/{1}: {2}", ok ? "PASS" : "FAIL", name, detail);
        }

        static void Eq<T>(string name, T want, T got)
        {
            bool ok = EqualityComparer<T>.Default.Equals(want, got);
            Check(name, ok, ok ? string.Format("{0}", got) : string.Format("want {0}, got {1}", Show(want), Show(got)));
        }

        static string Show(object o) { return o == null ? "null" : "'" + o + "'"; }

        static string Q(string extra)
        {
            return string.Format("CompanyId={0}&IntegrationKey={1}{2}", companyId, Uri.EscapeDataString(key),
                extra == "" ? "" : "&" + extra);
        }

        static Answer Send(HttpMethod method, string pathAndQuery, HttpContent content, string accept)
        {
            var req = new HttpRequestMessage(method, baseUrl + pathAndQuery);
            if (accept != null) req.Headers.Accept.ParseAdd(accept);
            req.Content = content;
            var res = http.SendAsync(req).Result;
            return new Answer {
                Status = res.StatusCode,
                ContentType = res.Content.Headers.ContentType == null ? "" : res.Content.Headers.ContentType.ToString(),
                Body = res.Content.ReadAsByteArrayAsync().Result,
            };
        }

        // DataContractSerializer as a ServiceStack XmlServiceClient uses it; an exception here is
        // exactly what the application would see, so it is reported as the check's failure.
        static T FromXml<T>(string name, Answer a) where T : class
        {
            try
            {
                using (var r = XmlDictionaryReader.CreateTextReader(a.Body, new XmlDictionaryReaderQuotas()))
                    return (T)new DataContractSerializer(typeof(T)).ReadObject(r);
            }
            catch (Exception e)
            {
                Check(name + " deserializes", false, Flatten(e) + " body: " + Trim(a.Text));
                return null;
            }
        }

        static string Flatten(Exception e)
        {
            var s = e.GetType().Name + ": " + e.Message;
            if (e.InnerException != null) s += " <- " + Flatten(e.InnerException);
            return s.Replace("\n", " ");
        }

        static string Trim(string s) { return s.Length > 300 ? s.Substring(0, 300) + "..." : s; }

        static string ToXml(object o, Encoding enc)
        {
            var sb = new StringBuilder();
            var settings = new XmlWriterSettings { Encoding = enc };
            using (var w = XmlWriter.Create(new StringWriter(sb), settings))
                new DataContractSerializer(o.GetType()).WriteObject(w, o);
            return sb.ToString();
        }

        static HttpContent Utf8Xml(object o)
        {
            var ms = new MemoryStream();
            using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
                new DataContractSerializer(o.GetType()).WriteObject(w, o);
            var c = new ByteArrayContent(ms.ToArray());
            c.Headers.TryAddWithoutValidation("Content-Type", "application/xml");
            return c;
        }

        static User NewUser(string first, string last, string email, string ext)
        {
            // CompanyId is left 0, as code that sets it only on the query string leaves it.
            return new User {
                FirstName = first, LastName = last, Email = email, ExternalId = ext,
                Folders = new List<Guid> { Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff") },
                Groups = new List<Guid> { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7") },
                UserDevices = new List<UserDevice>(),
                Password = "s3cret-" + run, DoNotEmail = true,
            };
        }

        static void CheckUser(string name, User want, User got, Guid id)
        {
            if (got == null) { Check(name + ".User", false, "no User"); return; }
            Eq(name + ".Id", id, got.Id);
            Eq(name + ".CompanyId", int.Parse(companyId), got.CompanyId);
            Eq(name + ".ExternalId", want.ExternalId, got.ExternalId);
            Eq(name + ".FirstName", want.FirstName, got.FirstName);
            Eq(name + ".LastName", want.LastName, got.LastName);
            Eq(name + ".Email", want.Email, got.Email);
            Eq(name + ".Status", "Active", got.Status);
            Eq(name + ".LastActivity", default(DateTime), got.LastActivity);
            Eq(name + ".Folders", string.Join(",", want.Folders), got.Folders == null ? null : string.Join(",", got.Folders));
            Eq(name + ".Groups", string.Join(",", want.Groups), got.Groups == null ? null : string.Join(",", got.Groups));
            Eq(name + ".WebsiteRole", null, got.WebsiteRole);
            Eq(name + ".UserDevices", 0, got.UserDevices == null ? -1 : got.UserDevices.Count);
            var now = DateTime.UtcNow;
            Check(name + ".CreatedDate", Math.Abs((now - got.CreatedDate.ToUniversalTime()).TotalMinutes) < 10, got.CreatedDate.ToString("o"));
            Check(name + ".LastUpdated", Math.Abs((now - got.LastUpdated.ToUniversalTime()).TotalMinutes) < 10, got.LastUpdated.ToString("o"));
            Eq(name + ".Password", null, got.Password);
            Eq(name + ".IntegrationKey", null, got.IntegrationKey);
        }

        static void CheckError(string name, Answer a, HttpStatusCode status, string code, string[] fields)
        {
            CheckError(name, a, status, code, fields, false);
        }

        static void CheckError(string name, Answer a, HttpStatusCode status, string code, string[] fields, bool search)
        {
            Eq(name + " status", status, a.Status);
            Check(name + " content-type", a.ContentType.Contains("xml"), a.ContentType);
            ResponseStatus rs;
            if (search)
            {
                var sr = FromXml<UserSearchResponse>(name, a);
                if (sr == null) return;
                rs = sr.ResponseStatus;
            }
            else
            {
                var r = FromXml<UserResponse>(name, a);
                if (r == null) return;
                rs = r.ResponseStatus;
            }
            if (rs == null) { Check(name + " ResponseStatus", false, "missing; body: " + Trim(a.Text)); return; }
            Eq(name + " ErrorCode", code, rs.ErrorCode);
            Check(name + " Message", !string.IsNullOrEmpty(rs.Message), Show(rs.Message));
            Eq(name + " StackTrace", null, rs.StackTrace);
            if (fields != null)
            {
                var got = rs.Errors == null ? "null" : string.Join(",", rs.Errors.Select(e => e.FieldName));
                Eq(name + " Errors[].FieldName", string.Join(",", fields), got);
                if (rs.Errors != null)
                    foreach (var e in rs.Errors)
                    {
                        Check(name + " Errors[" + e.FieldName + "].ErrorCode", !string.IsNullOrEmpty(e.ErrorCode), Show(e.ErrorCode));
                        Check(name + " Errors[" + e.FieldName + "].Message", !string.IsNullOrEmpty(e.Message), Show(e.Message));
                    }
            }
        }

        static int Main()
        {
            baseUrl = (Environment.GetEnvironmentVariable("ROSETTA_V2_BASE_URL") ?? "").TrimEnd('/');
            companyId = Environment.GetEnvironmentVariable("ROSETTA_V2_COMPANY_ID");
            key = Environment.GetEnvironmentVariable("ROSETTA_V2_INTEGRATION_KEY");
            if (baseUrl == "" || companyId == null || key == null)
            {
                Console.Error.WriteLine("set ROSETTA_V2_BASE_URL, ROSETTA_V2_COMPANY_ID, ROSETTA_V2_INTEGRATION_KEY");
                return 2;
            }
            run = "dn" + DateTime.UtcNow.ToString("HHmmssfff");
            try { Flows(); }
            catch (Exception e) { Check("unexpected exception", false, Flatten(e)); }
            Console.WriteLine("dotnet: {0} passed, {1} failed", passed, failed);
            return failed == 0 ? 0 : 1;
        }

        static void Flows()
        {
            const string X = "format=xml&";
            // Create from a serialized User: what `client.Post(user)` puts on the wire (UTF-8,
            // every member, CompanyId 0, DateTime members as 0001-01-01T00:00:00).
            var jo = NewUser("Jo", "Bloggs", run + ".jo@example.com", "SAP-" + run);
            var created = Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), Utf8Xml(jo), null);
            Eq("create status", HttpStatusCode.OK, created.Status);
            var cr = created.Status == HttpStatusCode.OK ? FromXml<UserResponse>("create", created) : null;
            if (created.Status != HttpStatusCode.OK)
            {
                Check("create", false, "no user created (" + (int)created.Status + "): " + Trim(created.Text));
                // Without the body's CompanyId the rest can still run: the same user as JSON.
                var json = string.Format("{{\"FirstName\":\"Jo\",\"LastName\":\"Bloggs\",\"Email\":\"{0}\",\"ExternalId\":\"{1}\",\"Folders\":[\"{2}\"],\"Groups\":[\"{3}\",\"{4}\"],\"Password\":\"{5}\",\"DoNotEmail\":true}}",
                    jo.Email, jo.ExternalId, jo.Folders[0], jo.Groups[0], jo.Groups[1], jo.Password);
                var again = Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), new StringContent(json, Encoding.UTF8, "application/json"), null);
                Eq("create (JSON body) status", HttpStatusCode.OK, again.Status);
            }
            // The Id from the JSON answer, so that the flows below still run (and report) when
            // the XML answer cannot be deserialized.
            var idm = System.Text.RegularExpressions.Regex.Match(
                Send(HttpMethod.Get, "/api/v2/user?format=json&" + Q("Email=" + Uri.EscapeDataString(jo.Email)), null, null).Text,
                "\"Id\":\"([0-9a-f-]{36})\"");
            if (!idm.Success) { Check("created user found", false, "no Id in the JSON answer"); return; }
            var id = Guid.Parse(idm.Groups[1].Value);
            if (cr != null)
            {
                CheckUser("create", jo, cr.User, id);
                Check("create ResponseStatus empty", cr.ResponseStatus == null || cr.ResponseStatus.ErrorCode == null, "");
            }

            // Read it back by each key.
            foreach (var by in new[] { "Id=" + id, "Email=" + Uri.EscapeDataString(jo.Email.ToUpperInvariant()), "ExternalId=" + jo.ExternalId })
            {
                var name = "get " + by.Split('=')[0];
                var a = Send(HttpMethod.Get, "/api/v2/user?" + X + Q(by), null, null);
                Eq(name + " status", HttpStatusCode.OK, a.Status);
                var r = FromXml<UserResponse>(name, a);
                if (r != null) CheckUser(name, jo, r.User, id);
            }
            // Accept instead of format, as XmlServiceClient sends it.
            var byAccept = Send(HttpMethod.Get, "/api/v2/user?" + Q("Id=" + id), null, "application/xml");
            Check("get Accept: application/xml", byAccept.ContentType.Contains("xml"), byAccept.ContentType);

            // UTF-16: an XML string from a StringWriter posted with Encoding.Unicode.
            var ann = NewUser("Ann", "Lee", run + ".ann@example.com", null);
            ann.Folders = new List<Guid>(); ann.Groups = new List<Guid>();
            var utf16 = Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), new StringContent(ToXml(ann, Encoding.Unicode), Encoding.Unicode, "application/xml"), null);
            Eq("create UTF-16 status", HttpStatusCode.OK, utf16.Status);
            if (utf16.Status == HttpStatusCode.OK)
            {
                var r = FromXml<UserResponse>("create UTF-16", utf16);
                if (r != null && r.User != null) Eq("create UTF-16 FirstName", "Ann", r.User.FirstName);
            }

            // DataContractJsonSerializer reads only \/Date(ms)\/ dates: ask for them.
            var dcjs = Send(HttpMethod.Get, "/api/v2/user?format=json&jsconfig=DateHandler:DCJSCompatible&" + Q("Id=" + id), null, null);
            try
            {
                var r = (UserResponse)new DataContractJsonSerializer(typeof(UserResponse)).ReadObject(new MemoryStream(dcjs.Body));
                Eq("get JSON DCJS FirstName", "Jo", r.User == null ? null : r.User.FirstName);
                Check("get JSON DCJS CreatedDate", r.User != null && r.User.CreatedDate.Year == DateTime.UtcNow.Year, r.User == null ? "" : r.User.CreatedDate.ToString("o"));
            }
            catch (Exception e) { Check("get JSON DCJS deserializes", false, Flatten(e) + " body: " + Trim(dcjs.Text)); }

            // Search paging: three users sharing a name, pages of two, stable order, no overlap.
            for (int i = 0; i < 3; i++)
            {
                var u = NewUser("Pager" + run, "N" + i, run + ".p" + i + "@example.com", null);
                var c = Send(HttpMethod.Post, "/api/v2/user?format=json&" + Q(""), new StringContent(
                    string.Format("{{\"FirstName\":\"{0}\",\"LastName\":\"{1}\",\"Email\":\"{2}\",\"DoNotEmail\":true}}", u.FirstName, u.LastName, u.Email),
                    Encoding.UTF8, "application/json"), null);
                Eq("search setup create " + i, HttpStatusCode.OK, c.Status);
            }
            var seen = new List<Guid>();
            var order = new List<string>();
            for (int page = 0; page < 2; page++)
            {
                var name = "search page " + page;
                var a = Send(HttpMethod.Get, "/api/v2/user/search?" + X + Q("Name=pager" + run + "&PageSize=2&PageNo=" + page), null, null);
                Eq(name + " status", HttpStatusCode.OK, a.Status);
                var r = FromXml<UserSearchResponse>(name, a);
                if (r == null) continue;
                Eq(name + " TotalRows", 3L, r.TotalRows);
                Eq(name + " PageNo", page, r.PageNo);
                Eq(name + " PageSize", 2, r.PageSize);
                Eq(name + " Users.Count", page == 0 ? 2 : 1, r.Users == null ? -1 : r.Users.Count);
                if (r.Users != null)
                    foreach (var u in r.Users)
                    {
                        Eq(name + " Status", "Pending", u.Status);
                        Check(name + " FirstName", u.FirstName == "Pager" + run, Show(u.FirstName));
                        seen.Add(u.Id);
                        order.Add(u.LastName);
                    }
            }
            Eq("search pages distinct", 3, seen.Distinct().Count());
            // v2.md: ordered by the users' internal id, which grows: the order they were created in.
            Check("search ordered by creation", string.Join(",", order) == "N0,N1,N2", string.Join(",", order));
            // POST search with a serialized UserSearch body.
            var ps = Send(HttpMethod.Post, "/api/v2/user/search?" + X + Q(""), Utf8Xml(new UserSearch { Name = "pager" + run, Status = "Pending", PageSize = 10 }), null);
            var psr = FromXml<UserSearchResponse>("search POST", ps);
            if (psr != null) Eq("search POST TotalRows", 3L, psr.TotalRows);

            // Every error status, each deserialized into ServiceStack's ResponseStatus.
            CheckError("401 wrong key", Send(HttpMethod.Get, "/api/v2/user?" + X + "CompanyId=" + companyId + "&IntegrationKey=wrong&Id=" + id, null, null), HttpStatusCode.Unauthorized, "Unauthorized", null);
            CheckError("401 wrong company", Send(HttpMethod.Get, "/api/v2/user?" + X + "CompanyId=999999&IntegrationKey=" + Uri.EscapeDataString(key) + "&Id=" + id, null, null), HttpStatusCode.Unauthorized, "Unauthorized", null);
            CheckError("404 unknown id", Send(HttpMethod.Get, "/api/v2/user?" + X + Q("Id=" + Guid.NewGuid()), null, null), HttpStatusCode.NotFound, "NotFound", null);
            var missing = new User { Email = run + ".x@example.com", Folders = new List<Guid>(), Groups = new List<Guid>() };
            CheckError("400 validation", Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), Utf8Xml(missing), null), HttpStatusCode.BadRequest, "ValidationException", new[] { "FirstName", "LastName" });
            CheckError("400 PageSize", Send(HttpMethod.Get, "/api/v2/user/search?" + X + Q("Name=jo&PageSize=251"), null, null), HttpStatusCode.BadRequest, "ValidationException", new[] { "PageSize" }, true);
            CheckError("400 malformed XML", Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), new StringContent("<User><FirstName>", Encoding.UTF8, "application/xml"), null), HttpStatusCode.BadRequest, "SerializationException", null);
            var dup = NewUser("Jo", "Again", jo.Email.ToUpperInvariant(), null);
            CheckError("409 conflict", Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), Utf8Xml(dup), null), HttpStatusCode.Conflict, "Conflict", null);
            CheckError("415 text/plain", Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), new StringContent("hello", Encoding.UTF8, "text/plain"), null), HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", null);
            CheckError("405 PUT", Send(HttpMethod.Put, "/api/v2/user?" + X + Q("Id=" + id), Utf8Xml(jo), null), HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", null);
            var big = new User { FirstName = new string('a', 300000), LastName = "L", Email = run + ".big@example.com" };
            CheckError("413 body too large", Send(HttpMethod.Post, "/api/v2/user?" + X + Q(""), Utf8Xml(big), null), HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", null);
            var keazId = Environment.GetEnvironmentVariable("ROSETTA_V2_KEAZ_USER_ID");
            if (!string.IsNullOrEmpty(keazId))
                CheckError("403 delete keaz holder", Send(HttpMethod.Delete, "/api/v2/user?" + X + Q("Id=" + keazId), null, null), HttpStatusCode.Forbidden, "Forbidden", null);

            // Delete, then it is gone.
            var del = Send(HttpMethod.Delete, "/api/v2/user?" + X + Q("Id=" + id), null, null);
            Eq("delete status", HttpStatusCode.OK, del.Status);
            var dr = FromXml<UserResponse>("delete", del);
            if (dr != null) CheckUser("delete", jo, dr.User, id);
            CheckError("404 after delete", Send(HttpMethod.Get, "/api/v2/user?" + X + Q("Id=" + id), null, null), HttpStatusCode.NotFound, "NotFound", null);
            var audit = Send(HttpMethod.Get, "/api/v2/user/search?" + X + Q("Email=" + Uri.EscapeDataString(jo.Email) + "&IncludeDeletedUserAudits=true"), null, null);
            var ar = FromXml<UserSearchResponse>("search deleted audits", audit);
            if (ar != null)
            {
                var d = ar.DeletedUsers == null ? null : ar.DeletedUsers.FirstOrDefault(x => x.Id == id);
                Check("search DeletedUsers has the user", d != null, d == null ? Trim(audit.Text) : d.Email + " by " + d.DeletedBy);
                if (d != null) Check("search DeletedUsers DeletedDate", d.DeletedDate.Year == DateTime.UtcNow.Year, d.DeletedDate.ToString("o"));
            }
        }
    }
}
