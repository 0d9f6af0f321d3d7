//! The query's operators and why a query is refused: a leaf module, so that the core's error
//! type can name a [`QueryProblem`] without depending on the rest of the query model (which
//! itself returns that error).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

/// Why a query was refused (a validation error of `Field::Filter`; SCIM `invalidFilter`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryProblem {
    /// The attribute takes no such operator (`gt` on a boolean, say).
    Operator { attr: &'static str, op: CompareOp },
    /// The value is not of the attribute's type (text for a number, say).
    Value { attr: &'static str },
    /// The attribute cannot be sorted by (a multi-valued one).
    Sort { attr: &'static str },
}
