use std::borrow::Cow;

/// The declaration every XML answer starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

/// Which characters of text are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// `<`, `>` and `&`, as .NET's `XmlWriter` (and so DataContract, so v2) escapes text.
    Markup,
    /// `'` and `"` too.
    All,
}

impl Escape {
    /// Escapes text content. A carriage return is written as `&#xD;`: a parser turns a
    /// literal CR (or CR LF) into LF (XML 1.0 end-of-line handling), so only the reference
    /// reads back as written. Tab and LF survive in text as they are.
    fn apply(self, text: &str) -> Cow<'_, str> {
        let escaped = match self {
            Self::Markup => quick_xml::escape::partial_escape(text),
            Self::All => quick_xml::escape::escape(text),
        };
        references(escaped, &[('\r', "&#xD;")])
    }
}

/// An attribute value: everything escaped, and tab and LF as references too, since attribute
/// value normalisation turns them into spaces.
fn attribute(value: &str) -> Cow<'_, str> {
    references(
        Escape::All.apply(value),
        &[('\t', "&#x9;"), ('\n', "&#xA;")],
    )
}

fn references<'a>(text: Cow<'a, str>, refs: &[(char, &str)]) -> Cow<'a, str> {
    if !text.contains(|c: char| refs.iter().any(|(r, _)| *r == c)) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match refs.iter().find(|(r, _)| *r == c) {
            Some((_, reference)) => out.push_str(reference),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes an XML document into memory, declaration first. Names are written as given (they
/// are the dialect's constants); text and attribute values are escaped.
#[derive(Debug, Clone)]
pub struct Writer {
    out: String,
    escape: Escape,
}

impl Writer {
    pub fn new(escape: Escape) -> Self {
        Self {
            out: DECLARATION.to_owned(),
            escape,
        }
    }

    /// Elements with no declaration: a part of a document written elsewhere (a page of a
    /// streamed list).
    pub fn fragment(escape: Escape) -> Self {
        Self {
            out: String::new(),
            escape,
        }
    }

    fn tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&attribute(value));
            self.out.push('"');
        }
    }

    pub fn start(&mut self, name: &str) {
        self.start_with(name, &[]);
    }

    pub fn start_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.tag(name, attributes);
        self.out.push('>');
    }

    pub fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name/>`.
    pub fn empty(&mut self, name: &str) {
        self.empty_with(name, &[]);
    }

    pub fn empty_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.tag(name, attributes);
        self.out.push_str("/>");
    }

    pub fn text(&mut self, text: &str) {
        let escaped = self.escape.apply(text);
        self.out.push_str(&escaped);
    }

    /// `<name>text</name>`, also when the text is empty.
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end(name);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CR as a reference, so it survives end-of-line handling; tab and LF as they are in
    /// text, as references in attributes (which a parser normalises to spaces).
    #[test]
    fn line_ends_round_trip() {
        let mut w = Writer::new(Escape::Markup);
        w.start_with("R", &[("a", "x\ty\r\nz")]);
        w.element("T", "a\r\nb\tc\rd\ne");
        w.end("R");
        let out = w.finish();
        assert!(out.contains("<T>a&#xD;\nb\tc&#xD;d\ne</T>"), "{out}");
        assert!(out.contains("a=\"x&#x9;y&#xD;&#xA;z\""), "{out}");
    }

    #[test]
    fn writes_and_escapes() {
        let mut w = Writer::new(Escape::Markup);
        w.start_with("R", &[("xmlns:i", "a\"b")]);
        w.element("T", "<'&'>");
        w.empty_with("N", &[("i:nil", "true")]);
        w.empty("E");
        w.end("R");
        assert_eq!(
            w.finish(),
            format!(
                "{DECLARATION}<R xmlns:i=\"a&quot;b\"><T>&lt;'&amp;'&gt;</T><N i:nil=\"true\"/><E/></R>"
            )
        );
        let mut w = Writer::new(Escape::All);
        w.element("T", "'\"");
        w.element("E", "");
        assert_eq!(
            w.finish(),
            format!("{DECLARATION}<T>&apos;&quot;</T><E></E>")
        );
    }
}
