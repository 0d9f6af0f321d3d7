//! The toolkit's member map against a plain model of its rule: a name matches in any ASCII
//! letter case, and a name that matches more than one member is refused, never answered with
//! one of them; `first_repeated` names the first member that repeats an earlier one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rosetta_dialect::{Members, Repeated};

/// Letters with case pairs, ASCII and not (the rule is ASCII-only, as the names asked for
/// are), so short names collide often.
const ALPHABET: [&str; 16] = [
    "a", "A", "b", "B", "e", "E", "é", "É", "k", "K", "\u{212A}", "s", "S", "ſ", "_", "",
];

/// Each byte is a letter; 0xFF ends a name. The first byte says how many of the names are
/// members; the rest are only asked for.
fn names(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xFF)
        .map(|n| n.iter().map(|b| ALPHABET[usize::from(b & 15)]).collect())
        .collect()
}

fn key(name: &str) -> String {
    name.to_ascii_lowercase()
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let all = names(rest);
    let count = usize::from(split).min(all.len());
    let (given, asked) = all.split_at(count);
    let members: Vec<(String, usize)> = given.iter().cloned().zip(0..).collect();
    let mut map = Members::new(members.clone());

    let first = members
        .iter()
        .enumerate()
        .find(|(i, (n, _))| members[..*i].iter().any(|(e, _)| key(e) == key(n)))
        .map(|(_, (n, _))| n.as_str());
    assert_eq!(map.first_repeated(), first);

    for name in given.iter().chain(asked) {
        let matching: Vec<usize> = members
            .iter()
            .filter(|(n, _)| key(n) == key(name))
            .map(|(_, v)| *v)
            .collect();
        let expected = match matching.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(Repeated),
        };
        assert_eq!(map.get(name), expected, "{name:?} in {members:?}");
    }

    // Taking a member takes exactly that one: it is gone, every other one stays.
    let mut left = members.clone();
    for name in asked {
        let before = map.get(name).map(|v| v.copied());
        let taken = map.take(name);
        assert_eq!(taken, before);
        if let Ok(Some(v)) = taken {
            left.retain(|(_, w)| *w != v);
            assert_eq!(map.get(name), Ok(None));
        }
    }
    for (name, v) in &left {
        let unique = left.iter().filter(|(n, _)| key(n) == key(name)).count() == 1;
        if unique {
            assert_eq!(map.get(name), Ok(Some(v)));
        }
    }
});
