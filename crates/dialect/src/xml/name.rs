//! XML names as the Namespaces in XML recommendation allows them in element tags: a QName,
//! `local` or `prefix:local`, each part an NCName (XML 1.0's Name without colons). The parser
//! underneath takes anything up to the first space as a name, so without this check
//! `<:Email>`, `<a:b:Email>` or `<Email="x">` would reach a dialect under a made-up name.

fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// Whether `name` is a QName.
pub(super) fn is_qname(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => is_ncname(prefix) && is_ncname(local),
        None => is_ncname(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qnames() {
        for good in ["User", "d3p1:guid", "_x", "a-b.c9", "Prénom", "i:nil"] {
            assert!(is_qname(good), "{good}");
        }
        for bad in [
            "",
            ":Email",
            "a:",
            "a:b:c",
            "Email=\"x\"",
            "9a",
            "-a",
            "a b",
            "a\"b",
        ] {
            assert!(!is_qname(bad), "{bad}");
        }
    }
}
