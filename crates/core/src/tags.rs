//! Short machine names a client writes: permission names and keaz asset tags.

use std::fmt;

use serde::Serialize;

use crate::error::{CoreError, CoreResult, Field, Problem};

const PERM_MAX: usize = 32;
const TAG_MAX: usize = 64;

/// A permission name: `[a-z0-9_-]{1,32}`. Stored and shown as the plain text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PermName(String);

impl PermName {
    pub fn parse(raw: &str) -> CoreResult<Self> {
        let ok = !raw.is_empty()
            && raw.len() <= PERM_MAX
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(CoreError::invalid(
                Field::Perms,
                Problem::NotPermName {
                    name: raw.to_owned(),
                    max: PERM_MAX,
                },
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<PermName> for String {
    fn from(value: PermName) -> Self {
        value.0
    }
}

impl fmt::Display for PermName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The tag a keaz asset is stored under: short, printable, no path separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AssetTag(String);

impl AssetTag {
    pub fn parse(raw: &str) -> CoreResult<Self> {
        let ok = !raw.is_empty()
            && raw.chars().count() <= TAG_MAX
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(CoreError::invalid(
                Field::Tag,
                Problem::NotAssetTag { max: TAG_MAX },
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perm_names() {
        assert!(PermName::parse("admin").is_ok());
        assert!(PermName::parse("cost-centre_2").is_ok());
        assert!(PermName::parse("Admin").is_err());
        assert!(PermName::parse("").is_err());
        assert!(PermName::parse(&"a".repeat(33)).is_err());
        assert_eq!(
            serde_json::to_string(&[PermName::parse("keaz").unwrap()]).unwrap(),
            r#"["keaz"]"#
        );
    }

    #[test]
    fn asset_tags() {
        assert!(AssetTag::parse("car:1.front-left_2").is_ok());
        assert!(AssetTag::parse("a/b").is_err());
        assert!(AssetTag::parse("").is_err());
        assert!(AssetTag::parse(&"t".repeat(65)).is_err());
    }
}
