//! The toolkit's hardened XML reader: it never panics, refuses a DOCTYPE wherever the rest
//! of the document would do, holds the depth limit exactly, and what it reads the toolkit's
//! writer writes back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rosetta_dialect::xml::{
    self, Attributes, Element, Escape, Failure, Writer, XmlError, MAX_DEPTH,
};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    name: String,
    nil: bool,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn names(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(
            std::iter::once(self.name.as_str()).chain(self.children.iter().flat_map(Node::names)),
        )
    }

    fn depth(&self) -> usize {
        1 + self.children.iter().map(Node::depth).max().unwrap_or(0)
    }
}

fn nil(attributes: Attributes<'_>) -> Result<bool, XmlError> {
    let mut nil = false;
    for a in attributes {
        let a = a?;
        if a.local_name() == b"nil" {
            nil = a.value()? == "true";
        }
    }
    Ok(nil)
}

fn read(body: &[u8]) -> Result<Node, XmlError> {
    xml::read(body, nil, |e: Element<Node>| {
        let children = e
            .children
            .into_iter()
            .map(|(name, child)| {
                assert_eq!(
                    name, child.name,
                    "a child is handed over under another name"
                );
                child
            })
            .collect();
        Ok::<_, ()>(Node {
            name: e.name,
            nil: e.nil,
            text: e.text,
            children,
        })
    })
    .map_err(|f| match f {
        Failure::Xml(e) => e,
        Failure::Element(()) => unreachable!("this tree refuses nothing"),
    })
}

fn write(w: &mut Writer, n: &Node) {
    if n.nil {
        w.start_with(&n.name, &[("i:nil", "true")]);
    } else {
        w.start(&n.name);
    }
    w.text(&n.text);
    for c in &n.children {
        write(w, c);
    }
    w.end(&n.name);
}

fn wrapped(levels: usize, body: &[u8]) -> Vec<u8> {
    let mut out = b"<w>".repeat(levels);
    out.extend_from_slice(body);
    out.extend_from_slice(&b"</w>".repeat(levels));
    out
}

fuzz_target!(|body: &[u8]| {
    let read_as_is = read(body);
    let utf8 = std::str::from_utf8(body).is_ok();

    // A DOCTYPE in front is refused as such, whatever follows (entities never get declared).
    let mut with_doctype = b"<!DOCTYPE r [<!ENTITY e \"boom\">]>".to_vec();
    with_doctype.extend_from_slice(body);
    if utf8 {
        assert_eq!(read(&with_doctype), Err(XmlError::Doctype));
    }

    let Ok(root) = read_as_is else { return };
    let depth = root.depth();
    assert!(depth <= MAX_DEPTH, "read a tree {depth} deep");
    for name in root.names() {
        // Local names only, and XML names: the writer writes them as they are.
        assert!(
            !name.is_empty() && !name.contains(':'),
            "read the name {name:?}"
        );
        assert!(
            !name.contains(|c: char| c.is_whitespace() || "<>&'\"=/".contains(c)),
            "{name:?}"
        );
    }

    // The limit is exact: nested up to it is read, one level more is refused.
    let full = read(&wrapped(MAX_DEPTH - depth, body));
    assert!(
        full.as_ref().is_ok_and(|t| t.depth() == MAX_DEPTH),
        "{full:?}"
    );
    let over = read(&wrapped(MAX_DEPTH - depth + 1, body));
    assert!(over.is_err(), "read {} levels deep", MAX_DEPTH + 1);

    // What was read, written by the toolkit's writer, reads back the same.
    for escape in [Escape::Markup, Escape::All] {
        let mut w = Writer::new(escape);
        write(&mut w, &root);
        let out = w.finish();
        assert_eq!(
            read(out.as_bytes()).as_ref(),
            Ok(&root),
            "written as {out:?}"
        );
    }
});
