//! The attributes RFC 7643 defines that Rosetta does not keep. Identity providers write them
//! by default (Entra ID maps `title`, `preferredLanguage`, `addresses`, the enterprise
//! `department` and `manager`); a PATCH path naming one is a no-op, as the attribute is
//! ignored on POST and PUT, while a path the RFC does not know stays `invalidPath`.

use super::urn;
use super::ResourceType;
use crate::filter::AttrPath;

/// `(schema, name or name.sub)`; a top-level name covers its sub-attributes.
static UNKEPT: &[(&str, &str)] = &[
    (urn::USER, "nickName"),
    (urn::USER, "profileUrl"),
    (urn::USER, "title"),
    (urn::USER, "userType"),
    (urn::USER, "preferredLanguage"),
    (urn::USER, "locale"),
    (urn::USER, "timezone"),
    (urn::USER, "ims"),
    (urn::USER, "photos"),
    (urn::USER, "addresses"),
    (urn::USER, "x509Certificates"),
    (urn::USER, "name.middleName"),
    (urn::USER, "name.honorificPrefix"),
    (urn::USER, "name.honorificSuffix"),
    (urn::USER, "emails.display"),
    (urn::USER, "phoneNumbers.display"),
    (urn::USER, "phoneNumbers.primary"),
    (urn::USER, "roles.type"),
    (urn::USER, "roles.primary"),
    (urn::USER, "entitlements.display"),
    (urn::USER, "entitlements.type"),
    (urn::USER, "entitlements.primary"),
    (urn::ENTERPRISE_USER, "organization"),
    (urn::ENTERPRISE_USER, "division"),
    (urn::ENTERPRISE_USER, "department"),
    (urn::ENTERPRISE_USER, "manager"),
];

impl ResourceType {
    /// Whether `path` names an attribute of this type's schemas that RFC 7643 defines and
    /// Rosetta does not keep (`title`, `name.middleName`, `urn:...:enterprise:2.0:User:manager`).
    pub fn is_unkept(&self, path: &AttrPath) -> bool {
        let urns = self.schema_urns();
        UNKEPT.iter().any(|(schema, dotted)| {
            let in_schema = match &path.urn {
                Some(u) => u.eq_ignore_ascii_case(schema),
                None => true,
            };
            let (name, sub) = match dotted.split_once('.') {
                Some((n, s)) => (n, Some(s)),
                None => (*dotted, None),
            };
            let named = path.name.eq_ignore_ascii_case(name)
                && match (sub, &path.sub) {
                    (None, _) => true,
                    (Some(s), Some(p)) => s.eq_ignore_ascii_case(p),
                    (Some(_), None) => false,
                };
            urns.contains(schema) && in_schema && named
        })
    }
}
