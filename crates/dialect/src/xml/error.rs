use std::borrow::Cow;
use std::fmt;

/// Why the reader refused a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// A DOCTYPE: entity declarations (and with them entity expansion) are never accepted.
    Doctype,
    /// Anything else; the text says what, for dialects that tell the client.
    Malformed(Cow<'static, str>),
}

impl XmlError {
    pub(super) fn malformed(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::Malformed(detail.into())
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Doctype => f.write_str("DOCTYPE and entity declarations are not accepted"),
            Self::Malformed(detail) => f.write_str(detail),
        }
    }
}
