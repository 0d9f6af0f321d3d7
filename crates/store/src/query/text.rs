//! Text comparisons shared by the user and group queries, as macros over a column expression
//! (Diesel's operator types differ per column, so a function would need a bound per operator).

use diesel::sql_types::{Integer, Text};

use crate::search::like_escape;

diesel::define_sql_function! {
    /// Lower case by the database's rule (on both sides of a comparison, so they agree).
    fn lower(x: Text) -> Text;
}
diesel::define_sql_function! {
    #[sql_name = "substr"]
    fn substr_from(x: Text, start: Integer) -> Text;
}
diesel::define_sql_function! {
    #[sql_name = "substr"]
    fn substr_len(x: Text, start: Integer, len: Integer) -> Text;
}
diesel::define_sql_function! {
    /// Characters, not bytes, on both backends.
    #[sql_name = "length"]
    fn char_length(x: Text) -> Integer;
}
diesel::define_sql_function! {
    fn replace(x: Text, from: Text, to: Text) -> Text;
}

/// The LIKE patterns of `co`, `sw` and `ew`.
pub(crate) fn contains(v: &str) -> String {
    format!("%{}%", like_escape(v))
}
pub(crate) fn starts(v: &str) -> String {
    format!("{}%", like_escape(v))
}
pub(crate) fn ends(v: &str) -> String {
    format!("%{}", like_escape(v))
}

/// Characters in `v`, as the `Integer` SQL counts them in (values are at most 1,024).
pub(crate) fn chars(v: &str) -> i32 {
    i32::try_from(v.chars().count()).unwrap_or(i32::MAX)
}

/// A comparison of a non-null text column holding stored keys (or any column compared in
/// the case the value has): `=`, `<`.. and LIKE for the substrings. `$v` is already folded
/// as the column is.
macro_rules! like_cmp {
    ($col:expr, $op:expr, $v:expr) => {{
        use diesel::prelude::*;
        use rosetta_core::CompareOp as Op;
        let v: String = $v;
        let p: $crate::query::Pred<_> = match $op {
            Op::Eq => Box::new($col.eq(v)),
            Op::Ne => Box::new(diesel::dsl::not($col.eq(v))),
            Op::Gt => Box::new($col.gt(v)),
            Op::Ge => Box::new($col.ge(v)),
            Op::Lt => Box::new($col.lt(v)),
            Op::Le => Box::new($col.le(v)),
            Op::Co => Box::new($col.like($crate::query::text::contains(&v)).escape('\\')),
            Op::Sw => Box::new($col.like($crate::query::text::starts(&v)).escape('\\')),
            Op::Ew => Box::new($col.like($crate::query::text::ends(&v)).escape('\\')),
        };
        p
    }};
}
pub(crate) use like_cmp;

/// A case-exact comparison of a non-null text column: substrings by `substr` and `replace`.
macro_rules! exact_cmp {
    ($col:expr, $op:expr, $v:expr) => {{
        use diesel::prelude::*;
        use rosetta_core::CompareOp as Op;
        use $crate::query::text::{char_length, chars, replace, substr_from, substr_len};
        let v: String = $v;
        let n = chars(&v);
        let p: $crate::query::Pred<_> = match $op {
            Op::Co | Op::Sw | Op::Ew if v.is_empty() => $crate::query::always(),
            Op::Co => Box::new(replace($col, v.clone(), String::new()).ne($col)),
            Op::Sw => Box::new(substr_len($col, 1, n).eq(v)),
            Op::Ew => Box::new(
                char_length($col)
                    .ge(n)
                    .and(substr_from($col, char_length($col) - (n - 1)).eq(v)),
            ),
            other => $crate::query::text::like_cmp!($col, other, v),
        };
        p
    }};
}
pub(crate) use exact_cmp;

/// A comparison folding case by the database's `lower` on both sides, for a column with no
/// stored key (the keaz profile fields, external ids compared in any case).
macro_rules! lower_cmp {
    ($col:expr, $op:expr, $v:expr) => {{
        use diesel::prelude::*;
        use rosetta_core::CompareOp as Op;
        use $crate::query::text::lower;
        let v: String = $v;
        let p: $crate::query::Pred<_> = match $op {
            Op::Eq => Box::new(lower($col).eq(lower(v))),
            Op::Ne => Box::new(diesel::dsl::not(lower($col).eq(lower(v)))),
            Op::Gt => Box::new(lower($col).gt(lower(v))),
            Op::Ge => Box::new(lower($col).ge(lower(v))),
            Op::Lt => Box::new(lower($col).lt(lower(v))),
            Op::Le => Box::new(lower($col).le(lower(v))),
            Op::Co => Box::new(
                lower($col)
                    .like(lower($crate::query::text::contains(&v)))
                    .escape('\\'),
            ),
            Op::Sw => Box::new(
                lower($col)
                    .like(lower($crate::query::text::starts(&v)))
                    .escape('\\'),
            ),
            Op::Ew => Box::new(
                lower($col)
                    .like(lower($crate::query::text::ends(&v)))
                    .escape('\\'),
            ),
        };
        p
    }};
}
pub(crate) use lower_cmp;

/// A comparison of a nullable text column: never true where it is NULL (so `not` of it
/// holds there, and `ne` is `not eq`), by one of the macros above on the value.
macro_rules! nullable_cmp {
    ($how:ident, $col:expr, $op:expr, $v:expr) => {{
        use diesel::prelude::*;
        use rosetta_core::CompareOp as Op;
        let op = $op;
        let (op, negate) = match op {
            Op::Ne => (Op::Eq, true),
            other => (other, false),
        };
        let inner: $crate::query::Pred<_> =
            $crate::query::text::$how!($col.assume_not_null(), op, $v);
        let p: $crate::query::Pred<_> = Box::new($col.is_not_null().and(inner));
        let p: $crate::query::Pred<_> = if negate {
            Box::new(diesel::dsl::not(p))
        } else {
            p
        };
        p
    }};
}
pub(crate) use nullable_cmp;

/// `=`, `<>`, `<`.. on a non-null column (the operators the directory lets through).
macro_rules! ordered {
    ($col:expr, $op:expr, $v:expr) => {{
        use rosetta_core::CompareOp as Op;
        let v = $v;
        let p: $crate::query::Pred<_> = match $op {
            Op::Eq => Box::new($col.eq(v)),
            Op::Ne => Box::new($col.ne(v)),
            Op::Gt => Box::new($col.gt(v)),
            Op::Ge => Box::new($col.ge(v)),
            Op::Lt => Box::new($col.lt(v)),
            Op::Le => Box::new($col.le(v)),
            Op::Co | Op::Sw | Op::Ew => Box::new(diesel::dsl::not($crate::query::always())),
        };
        p
    }};
}
pub(crate) use ordered;
