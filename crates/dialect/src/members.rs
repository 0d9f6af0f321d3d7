//! The members of a request object (a JSON object, or an XML element's children), looked up by
//! name in any letter case, as the .NET services behind the legacy APIs matched them. A member
//! given twice in different cases is ambiguous: the body says two things at once, so it is
//! refused rather than one spelling silently winning.

use std::collections::HashSet;

/// A member asked for is given more than once, in different letter cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeated;

/// Members in document order, each with its value (`serde_json::Value`, a dialect's own tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Members<V>(Vec<(String, V)>);

impl<V> Members<V> {
    pub fn new(members: Vec<(String, V)>) -> Self {
        Self(members)
    }

    /// The spelling of the first member that repeats an earlier one, for dialects that refuse
    /// such a body whole, whichever members they go on to read.
    ///
    /// One pass with a set, not a comparison of every pair: a body within the limit can hold
    /// tens of thousands of members, and pairs of those cost seconds of a worker's time.
    pub fn first_repeated(&self) -> Option<&str> {
        let mut seen = HashSet::with_capacity(self.0.len());
        self.0.iter().find_map(|(name, _)| {
            (!seen.insert(name.to_ascii_lowercase())).then_some(name.as_str())
        })
    }

    fn position(&self, name: &str) -> Result<Option<usize>, Repeated> {
        let mut found = None;
        for (i, (member, _)) in self.0.iter().enumerate() {
            if member.eq_ignore_ascii_case(name) {
                if found.is_some() {
                    return Err(Repeated);
                }
                found = Some(i);
            }
        }
        Ok(found)
    }

    /// The member called `name` in any letter case.
    pub fn get(&self, name: &str) -> Result<Option<&V>, Repeated> {
        Ok(self.position(name)?.map(|i| &self.0[i].1))
    }

    /// Takes the member called `name` out, in any letter case.
    pub fn take(&mut self, name: &str) -> Result<Option<V>, Repeated> {
        Ok(self.position(name)?.map(|i| self.0.swap_remove(i).1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(names: &[&str]) -> Members<usize> {
        Members::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| ((*n).to_owned(), i))
                .collect(),
        )
    }

    #[test]
    fn any_case_finds_the_one_member() {
        let m = members(&["Email", "fullname"]);
        assert_eq!(m.get("EMAIL"), Ok(Some(&0)));
        assert_eq!(m.get("FullName"), Ok(Some(&1)));
        assert_eq!(m.get("Password"), Ok(None));
        assert_eq!(m.first_repeated(), None);
    }

    #[test]
    fn a_member_given_twice_is_refused_when_asked_for() {
        let mut m = members(&["Email", "Other", "email"]);
        assert_eq!(m.get("Email"), Err(Repeated));
        assert_eq!(m.take("EMAIL"), Err(Repeated));
        assert_eq!(m.take("other"), Ok(Some(1)));
        assert_eq!(members(&["A", "b", "B", "a"]).first_repeated(), Some("B"));
    }

    /// What a 256 KiB body can hold (`<a0/><a1/>...`); comparing every pair of these took
    /// minutes in a test build.
    #[test]
    fn many_members_are_checked_in_one_pass() {
        let names: Vec<String> = (0..60_000).map(|i| format!("m{i}")).collect();
        let mut m = Members::new(names.into_iter().map(|n| (n, ())).collect());
        let start = std::time::Instant::now();
        assert_eq!(m.first_repeated(), None);
        m.0.push(("M59999".to_owned(), ()));
        assert_eq!(m.first_repeated(), Some("M59999"));
        let took = start.elapsed();
        assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
    }
}
