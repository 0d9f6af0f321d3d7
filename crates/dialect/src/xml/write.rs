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
    fn apply(self, text: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Markup => quick_xml::escape::partial_escape(text),
            Self::All => quick_xml::escape::escape(text),
        }
    }
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

    fn tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&Escape::All.apply(value));
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
