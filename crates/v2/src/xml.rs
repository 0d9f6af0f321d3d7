//! DataContract-style XML, as .NET's DataContractSerializer (and so ServiceStack) writes it:
//! members of each type in alphabetical (ordinal) order, every member present, null as
//! `i:nil="true"`, GUID lists in the Arrays namespace, object lists as repeated elements named
//! after the item type. (Reading is in `body.rs`, with the toolkit's reader.)

use rosetta_dialect::xml::{Escape, Writer};

use crate::wire::{
    DeletedUser, ResponseStatus, User, UserDevice, UserResponse, UserSearchResponse,
};

pub const NS_INSTANCE: &str = "http://www.w3.org/2001/XMLSchema-instance";
pub const NS_TYPES: &str = "http://schemas.servicestack.net/types";
pub const NS_ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

/// An unknown time in a `DateTime` member: .NET's `DateTime.MinValue`. The document types the
/// dates `DateTime`, not `DateTime?`, so a typed client fails the whole answer on a nil one
/// ("ValueType 'System.DateTime' cannot be null"); this is what it reads as the default.
pub const NO_DATE: &str = "0001-01-01T00:00:00";

struct Out {
    w: Writer,
}

impl Out {
    fn new() -> Self {
        // Only `<`, `>` and `&` are escaped in text, as .NET's XmlWriter does.
        Self {
            w: Writer::new(Escape::Markup),
        }
    }

    fn root(&mut self, name: &str) {
        self.w
            .start_with(name, &[("xmlns:i", NS_INSTANCE), ("xmlns", NS_TYPES)]);
    }

    fn start(&mut self, name: &str) {
        self.w.start(name);
    }

    fn end(&mut self, name: &str) {
        self.w.end(name);
    }

    fn empty(&mut self, name: &str) {
        self.w.empty(name);
    }

    fn nil(&mut self, name: &str) {
        self.w.empty_with(name, &[("i:nil", "true")]);
    }

    /// A text member; `None` is written as nil, an empty text as an empty element.
    fn text(&mut self, name: &str, value: Option<&str>) {
        match value {
            None => self.nil(name),
            Some("") => self.empty(name),
            Some(v) => self.w.element(name, v),
        }
    }

    fn guids(&mut self, name: &str, items: &[uuid::Uuid]) {
        let attributes = [("xmlns:d3p1", NS_ARRAYS)];
        if items.is_empty() {
            return self.w.empty_with(name, &attributes);
        }
        self.w.start_with(name, &attributes);
        for g in items {
            self.text("d3p1:guid", Some(&g.to_string()));
        }
        self.end(name);
    }

    fn finish(self) -> Vec<u8> {
        self.w.finish().into_bytes()
    }
}

fn user(o: &mut Out, u: &User) {
    let User {
        id,
        company_id,
        external_id,
        first_name,
        last_name,
        email,
        status,
        last_activity,
        folders,
        groups,
        website_role,
        user_devices,
        created_date,
        last_updated,
    } = u;
    o.start("User");
    o.text("CompanyId", Some(&company_id.to_string()));
    o.text("CreatedDate", Some(created_date));
    o.text("Email", Some(email));
    o.text("ExternalId", external_id.as_deref());
    o.text("FirstName", Some(first_name));
    o.guids("Folders", folders);
    o.guids("Groups", groups);
    o.text("Id", Some(&id.to_string()));
    o.text(
        "LastActivity",
        Some(last_activity.as_deref().unwrap_or(NO_DATE)),
    );
    o.text("LastName", Some(last_name));
    o.text("LastUpdated", Some(last_updated));
    o.text("Status", Some(status));
    if user_devices.is_empty() {
        o.empty("UserDevices");
    } else {
        o.start("UserDevices");
        for d in user_devices {
            device(o, d);
        }
        o.end("UserDevices");
    }
    o.text("WebsiteRole", website_role.as_deref());
    o.end("User")
}

fn device(o: &mut Out, d: &UserDevice) {
    let UserDevice {
        id,
        name,
        os,
        app_version,
        last_used,
    } = d;
    o.start("UserDevice");
    o.text("AppVersion", app_version.as_deref());
    o.text("Id", Some(id));
    o.text("LastUsed", Some(last_used.as_deref().unwrap_or(NO_DATE)));
    o.text("Name", name.as_deref());
    o.text("OS", os.as_deref());
    o.end("UserDevice")
}

fn deleted(o: &mut Out, d: &DeletedUser) {
    let DeletedUser {
        id,
        email,
        deleted_by,
        deleted_date,
    } = d;
    o.start("DeletedUser");
    o.text("DeletedBy", Some(deleted_by));
    o.text("DeletedDate", Some(deleted_date));
    o.text("Email", Some(email));
    o.text("Id", Some(&id.to_string()));
    o.end("DeletedUser")
}

/// Success is an empty `<ResponseStatus/>` (the spec); an error has no `StackTrace` member at
/// all, so none can ever be filled in. The members are in the order ServiceStack's
/// DataContract declares (ErrorCode, Message, StackTrace, Errors), not alphabetical:
/// DataContractSerializer silently drops an element it meets out of order, so a stock .NET
/// client read every error with `Message = null` while the order was ErrorCode, Errors, Message.
fn response_status(o: &mut Out, s: Option<&ResponseStatus>) {
    let Some(ResponseStatus {
        error_code,
        message,
        errors,
    }) = s
    else {
        return o.empty("ResponseStatus");
    };
    o.start("ResponseStatus");
    o.text("ErrorCode", Some(error_code));
    o.text("Message", Some(message));
    if errors.is_empty() {
        o.empty("Errors");
    } else {
        o.start("Errors");
        for e in errors {
            o.start("ResponseError");
            o.text("ErrorCode", Some(&e.error_code));
            o.text("FieldName", Some(&e.field_name));
            o.text("Message", Some(&e.message));
            o.end("ResponseError");
        }
        o.end("Errors");
    }
    o.end("ResponseStatus")
}

pub fn user_response(r: &UserResponse) -> Vec<u8> {
    let UserResponse {
        user: u,
        response_status: status,
    } = r;
    let mut o = Out::new();
    o.root("UserResponse");
    response_status(&mut o, status.as_ref());
    match u {
        Some(u) => user(&mut o, u),
        None => o.nil("User"),
    }
    o.end("UserResponse");
    o.finish()
}

pub fn search_response(r: &UserSearchResponse) -> Vec<u8> {
    let UserSearchResponse {
        users,
        total_rows,
        page_no,
        page_size,
        response_status: status,
        deleted_users,
    } = r;
    let mut o = Out::new();
    o.root("UserSearchResponse");
    match deleted_users {
        None => o.nil("DeletedUsers"),
        Some(list) if list.is_empty() => o.empty("DeletedUsers"),
        Some(list) => {
            o.start("DeletedUsers");
            for d in list {
                deleted(&mut o, d);
            }
            o.end("DeletedUsers");
        }
    }
    o.text("PageNo", Some(&page_no.to_string()));
    o.text("PageSize", Some(&page_size.to_string()));
    response_status(&mut o, status.as_ref());
    o.text("TotalRows", Some(&total_rows.to_string()));
    match users {
        None => o.nil("Users"),
        Some(list) if list.is_empty() => o.empty("Users"),
        Some(list) => {
            o.start("Users");
            for u in list {
                user(&mut o, u);
            }
            o.end("Users");
        }
    }
    o.end("UserSearchResponse");
    o.finish()
}
