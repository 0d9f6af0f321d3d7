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
}
