//! The two secrets a user writes, parsed once. Neither ever reaches a log: their `Debug` is
//! redacted, they have no `Display` and no `Serialize`, and they leave this type only to be
//! hashed (the password) or encrypted (the memorable word).

use std::fmt;

use crate::error::{CoreError, CoreResult, Field, Problem};

/// bcrypt reads at most 72 bytes; a longer password would verify with any suffix.
const PASSWORD_MAX: usize = 72;
const MEMORABLE_MIN: usize = 3;
const MEMORABLE_MAX: usize = 64;

/// A password of an acceptable length. The shortest allowed is a setting
/// (`security.min_password_length`, at least 1).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: String, min_length: usize) -> CoreResult<Self> {
        let min = min_length.max(1);
        let len = raw.chars().count();
        if len < min {
            return Err(CoreError::invalid(
                Field::Password,
                Problem::TooShort { min },
            ));
        }
        if len > PASSWORD_MAX {
            return Err(CoreError::invalid(
                Field::Password,
                Problem::TooLong { max: PASSWORD_MAX },
            ));
        }
        Ok(Self(raw))
    }

    /// The plain text, for hashing or verifying.
    pub fn into_plain(self) -> String {
        self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A memorable word: logins ask for single letters of it, so it is kept encrypted, not hashed.
#[derive(Clone, PartialEq, Eq)]
pub struct MemorableWord(String);

impl MemorableWord {
    pub fn parse(raw: String) -> CoreResult<Self> {
        let len = raw.chars().count();
        if len < MEMORABLE_MIN {
            return Err(CoreError::invalid(
                Field::MemorableWord,
                Problem::TooShort { min: MEMORABLE_MIN },
            ));
        }
        if len > MEMORABLE_MAX {
            return Err(CoreError::invalid(
                Field::MemorableWord,
                Problem::TooLong { max: MEMORABLE_MAX },
            ));
        }
        Ok(Self(raw))
    }

    /// The plain text, for encrypting.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MemorableWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MemorableWord(<redacted>)")
    }
}

/// A bcrypt hash brought in from elsewhere (an export, another IdP), stored as it is: never
/// hashed again, so the password it was made from keeps working. Only its shape is checked
/// (`$2a$`, `$2b$` or `$2y$`, a two-digit cost of 4 to 31, then 53 characters of bcrypt's
/// base64: 22 of salt, 31 of hash); whether it verifies anything is known only at a login.
#[derive(Clone, PartialEq, Eq)]
pub struct BcryptHash(String);

/// The alphabet of bcrypt's own base64 (not RFC 4648's order, and no padding).
const BCRYPT_B64: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl BcryptHash {
    /// The hash when `raw` has bcrypt's shape; `None` otherwise. The caller words the refusal
    /// (it knows the line and column); nothing about the text is kept or shown.
    pub fn parse(raw: &str) -> Option<Self> {
        let b = raw.as_bytes();
        if b.len() != 60 || b[0] != b'$' || b[1] != b'2' || b[3] != b'$' || b[6] != b'$' {
            return None;
        }
        if !matches!(b[2], b'a' | b'b' | b'y') {
            return None;
        }
        let cost = match (b[4], b[5]) {
            (t @ b'0'..=b'9', u @ b'0'..=b'9') => (t - b'0') * 10 + (u - b'0'),
            _ => return None,
        };
        if !(4..=31).contains(&cost) || !b[7..].iter().all(|c| BCRYPT_B64.contains(c)) {
            return None;
        }
        Some(Self(raw.to_owned()))
    }

    /// The stored text, for the secret column.
    pub fn into_stored(self) -> String {
        self.0
    }
}

impl fmt::Debug for BcryptHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BcryptHash(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert!(Password::parse("a".into(), 0).is_ok());
        assert!(matches!(
            Password::parse("abc".into(), 8),
            Err(CoreError::Validation {
                field: Field::Password,
                problem: Problem::TooShort { min: 8 }
            })
        ));
        assert!(Password::parse("x".repeat(73), 1).is_err());
        assert!(MemorableWord::parse("ab".into()).is_err());
        assert!(MemorableWord::parse("abc".into()).is_ok());
        assert!(MemorableWord::parse("y".repeat(65)).is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let p = Password::parse("hunter22".into(), 1).unwrap();
        let w = MemorableWord::parse("aardvark".into()).unwrap();
        let shown = format!("{p:?} {w:?}");
        assert!(
            !shown.contains("hunter22") && !shown.contains("aardvark"),
            "{shown}"
        );
    }

    #[test]
    fn bcrypt_hash_shape() {
        let good = "$2b$04$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
        assert!(BcryptHash::parse(good).is_some());
        for prefix in ["$2a$", "$2y$"] {
            assert!(BcryptHash::parse(&good.replacen("$2b$", prefix, 1)).is_some());
        }
        for bad in [
            "",
            "$2x$04$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
            "$2b$03$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
            "$2b$32$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
            "$2b$04$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBu",
            "$2b$04$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBu=",
            "$2b$4a$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
        ] {
            assert!(BcryptHash::parse(bad).is_none(), "{bad}");
        }
        let shown = format!("{:?}", BcryptHash::parse(good));
        assert!(!shown.contains("abcdef"), "{shown}");
    }
}
