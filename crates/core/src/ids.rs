//! Identifiers and values that are parsed once at the edge, so the rest of the code can rely on
//! them being valid ("parse, don't validate").

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Field, Problem};
use crate::text::{self, TextKind};

/// A tenant (a company in keaz, `CompanyId` in v2). Every credential belongs to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(pub i64);

/// A user's number. Global across tenants (so it can be the primary key), but never resolved
/// outside its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

static EMAIL_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[^@ ]+@[^@ ]+\.[^@ ]+$").ok());

/// An address that matched MAPPING.md's pattern. The text is kept as written (round trip);
/// comparisons and uniqueness use [`Email::key`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, CoreError> {
        let raw = raw.trim();
        text::check(Field::Email, TextKind::Name, raw)?;
        let ok = EMAIL_RE.as_ref().is_some_and(|re| re.is_match(raw));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(CoreError::invalid(Field::Email, Problem::NotEmail))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-folded form that uniqueness and look-ups use.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for Email {
    type Error = CoreError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A login name: non-empty, one line of the text rule (at most 254 characters). Unique per
/// tenant in any letter case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, CoreError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(CoreError::invalid(Field::Username, Problem::Empty));
        }
        text::check(Field::Username, TextKind::Name, raw)?;
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for Username {
    type Error = CoreError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

/// The three name fields, always consistent with each other (MAPPING.md's name splitting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub full: String,
    pub first: String,
    pub last: String,
}

impl Names {
    /// Only a full name was written: first word, then the rest.
    pub fn from_full(full: &str) -> Result<Self, CoreError> {
        let full = full.trim();
        if full.is_empty() {
            return Err(CoreError::invalid(Field::FullName, Problem::Empty));
        }
        check_name_len(Field::FullName, full)?;
        let (first, last) = match full.split_once(char::is_whitespace) {
            Some((first, rest)) => (first.to_owned(), rest.trim().to_owned()),
            None => (full.to_owned(), String::new()),
        };
        Ok(Self {
            full: full.to_owned(),
            first,
            last,
        })
    }

    /// First and last were written: the full name is both joined by one space.
    pub fn from_parts(first: &str, last: &str) -> Result<Self, CoreError> {
        let (first, last) = (first.trim(), last.trim());
        if first.is_empty() && last.is_empty() {
            return Err(CoreError::invalid(Field::FirstName, Problem::Empty));
        }
        check_name_len(Field::FirstName, first)?;
        check_name_len(Field::LastName, last)?;
        let full = match (first.is_empty(), last.is_empty()) {
            (false, false) => format!("{first} {last}"),
            (true, _) => last.to_owned(),
            (_, true) => first.to_owned(),
        };
        // Joined, the full name is a name too, within the same bound.
        check_name_len(Field::FullName, &full)?;
        Ok(Self {
            full,
            first: first.to_owned(),
            last: last.to_owned(),
        })
    }

    /// Full, first and last were all written: each kept as written (an empty full name is
    /// the parts joined, as `from_parts`).
    pub fn from_whole(full: &str, first: &str, last: &str) -> Result<Self, CoreError> {
        let Self {
            full: joined,
            first,
            last,
        } = Self::from_parts(first, last)?;
        let full = match full.trim() {
            "" => joined,
            written => {
                check_name_len(Field::FullName, written)?;
                written.to_owned()
            }
        };
        Ok(Self { full, first, last })
    }
}

/// Names are one line of the text rule, at most 254 characters each.
fn check_name_len(field: Field, value: &str) -> Result<(), CoreError> {
    text::check(field, TextKind::Name, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_pattern_follows_mapping() {
        assert!(Email::parse("jo@example.com").is_ok());
        assert!(Email::parse("Jo.Smith+x@sub.example.co.uk").is_ok());
        assert!(Email::parse("jo@example").is_err());
        assert!(Email::parse("jo smith@example.com").is_err());
        assert!(Email::parse("jo@@example.com").is_err());
        assert!(Email::parse("").is_err());
        assert_eq!(
            Email::parse("Jo@Example.COM").unwrap().key(),
            "jo@example.com"
        );
    }

    #[test]
    fn names_split_and_join() {
        let n = Names::from_full("John  Ronald Smith").unwrap();
        assert_eq!(
            (n.first.as_str(), n.last.as_str()),
            ("John", "Ronald Smith")
        );
        let n = Names::from_full("rediff").unwrap();
        assert_eq!((n.first.as_str(), n.last.as_str()), ("rediff", ""));
        let n = Names::from_parts("Jo", "Bloggs").unwrap();
        assert_eq!(n.full, "Jo Bloggs");
        assert!(Names::from_full("  ").is_err());
    }

    #[test]
    fn names_written_whole_are_kept() {
        let n = Names::from_whole(" Ms. Barbara J Jensen, III ", "Barbara", "Jensen").unwrap();
        assert_eq!(
            (n.full.as_str(), n.first.as_str(), n.last.as_str()),
            ("Ms. Barbara J Jensen, III", "Barbara", "Jensen")
        );
        // No full name: the parts joined, as from_parts.
        assert_eq!(
            Names::from_whole("", "Jo", "Bloggs").unwrap().full,
            "Jo Bloggs"
        );
        assert!(Names::from_whole("Jo", " ", "").is_err());
        assert!(Names::from_whole(&"x".repeat(300), "Jo", "Bloggs").is_err());
    }
}
