//! The English the dialects give the core's error codes. The core names what went wrong (a
//! field, a [`Problem`], a [`Refusal`]) and words none of it; every dialect frames these phrases
//! in its own envelope (its member names, capitals and full stops), and one that says
//! something else for a code matches that code itself.

use rosetta_core::{Problem, QueryProblem, Refusal, TextKind};

/// What is wrong with a field's value, to follow the field's name: "must not be empty".
pub fn problem(problem: &Problem) -> String {
    match problem {
        Problem::Empty => "must not be empty".into(),
        Problem::NotEmail => "is not a valid email address".into(),
        Problem::NotText {
            kind: TextKind::Name,
        } => "must not contain control characters or Unicode noncharacters".into(),
        Problem::NotText {
            kind: TextKind::Free,
        } => "must not contain control characters other than tab, line feed and carriage return, \
              or Unicode noncharacters"
            .into(),
        Problem::TooShort { min } => format!("must be at least {min} characters"),
        Problem::TooLong { max } => format!("must be at most {max} characters"),
        Problem::Length { min, max } => format!("must be {min} to {max} characters"),
        Problem::NotPermName { name, max } => {
            format!("'{name}' is not a permission name ([a-z0-9_-]{{1,{max}}})")
        }
        Problem::NotAssetTag { max } => {
            format!("must be 1 to {max} of the characters A-Z a-z 0-9 _ - . :")
        }
        Problem::UnknownRole { number } => format!("{number} is not a role of this tenant"),
        Problem::NotAfter { other } => format!("must be after {other}"),
        Problem::NotPending => "the user is not pending activation".into(),
        Problem::UnknownMember { uuid } => format!("{uuid} is not a user of this tenant"),
        Problem::Query(q) => query(q),
        Problem::UnknownDialect => format!(
            "is not one of {}",
            rosetta_core::CREDENTIAL_DIALECTS.join(", ")
        ),
    }
}

/// Why a query cannot be answered, to follow "filter": "cannot compare active with gt".
fn query(problem: &QueryProblem) -> String {
    match problem {
        QueryProblem::Operator { attr, op } => {
            format!("cannot compare {attr} with {}", op.as_str())
        }
        QueryProblem::Value { attr } => format!("has a value of the wrong type for {attr}"),
        QueryProblem::Sort { attr } => format!("cannot sort by {attr}"),
    }
}

/// What the caller may not do, as a clause: "only an administrator may change users".
pub fn refusal(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::NotAdmin => "only an administrator may change users",
        Refusal::GrantKeaz => "only keaz users may grant keaz",
        Refusal::GrantAdmin => "only admin or keaz users may grant admin",
        Refusal::ReachKeaz => {
            "only keaz users may change the password, memorable word, status or perms of a keaz user, or delete one"
        }
        Refusal::ReachAdmin => {
            "only admin or keaz users may change the password, memorable word, status or perms of an admin user, or delete one"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosetta_core::Field;

    /// The phrases the dialects' snapshots hold, word for word.
    #[test]
    fn phrases() {
        assert_eq!(
            problem(&Problem::NotPermName {
                name: "Fleet Admin".into(),
                max: 32
            }),
            "'Fleet Admin' is not a permission name ([a-z0-9_-]{1,32})"
        );
        assert_eq!(
            problem(&Problem::NotAssetTag { max: 64 }),
            "must be 1 to 64 of the characters A-Z a-z 0-9 _ - . :"
        );
        assert_eq!(
            problem(&Problem::NotAfter {
                other: Field::Start
            }),
            "must be after start"
        );
        assert_eq!(
            problem(&Problem::UnknownRole { number: 99 }),
            "99 is not a role of this tenant"
        );
        assert_eq!(
            refusal(Refusal::GrantAdmin),
            "only admin or keaz users may grant admin"
        );
    }
}
