//! The rule's two kinds of text and the characters each may hold; no dependency, so the
//! core's error codes can name a kind.

/// Names, emails and the other one-line values hold at most this many characters.
pub const NAME_MAX: usize = 254;
/// Free text holds at most this many characters.
pub const FREE_MAX: usize = 1024;

/// Which characters a field may hold, and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextKind {
    /// Names, emails, usernames, ids, tags, permission names: no control character at all.
    Name,
    /// Free text: tab, line feed and carriage return too.
    Free,
}

impl TextKind {
    /// The longest value of this kind, in characters.
    pub fn max(self) -> usize {
        match self {
            Self::Name => NAME_MAX,
            Self::Free => FREE_MAX,
        }
    }

    /// Whether `c` may be part of a value of this kind.
    pub fn allows(self, c: char) -> bool {
        if is_noncharacter(c) {
            return false;
        }
        if c.is_control() {
            return self == Self::Free && matches!(c, '\t' | '\n' | '\r');
        }
        true
    }

    /// Whether every character of `value` may be part of a value of this kind (the length is
    /// not checked: look-ups use this to know a value cannot be stored, so cannot match).
    pub fn carries(self, value: &str) -> bool {
        value.chars().all(|c| self.allows(c))
    }
}

/// U+FDD0..U+FDEF and the last two code points of every plane: the noncharacters XML 1.0
/// leaves out of `Char` (U+FFFE/U+FFFF) or discourages (the rest).
pub fn is_noncharacter(c: char) -> bool {
    let c = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&c) || (c & 0xFFFE) == 0xFFFE
}
