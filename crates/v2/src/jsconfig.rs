//! How JSON answers spell member names and dates: ServiceStack's `jsconfig` query parameter
//! (`EmitCamelCaseNames:true`, `TextCase:SnakeCase`, `DateHandler:DCJSCompatible`, ...) over
//! the mount's defaults (`dialects.v2.json_case`, `dialects.v2.json_dates`).

use crate::boolean::parse_bool;

/// Member-name casing of JSON answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Case {
    /// As the document spells them (`FirstName`).
    #[default]
    Pascal,
    /// `firstName`, as ServiceStack's `EmitCamelCaseNames` writes them.
    Camel,
    /// `first_name`, as ServiceStack's `TextCase:SnakeCase` writes them.
    Snake,
}

/// How JSON answers write dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dates {
    /// `2026-11-23T10:15:00Z`.
    #[default]
    Iso8601,
    /// `\/Date(1795428900000)\/`, what .NET's DataContractJsonSerializer reads.
    Dcjs,
}

/// The JSON style of one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonStyle {
    pub case: Case,
    pub dates: Dates,
}

impl Case {
    /// A `dialects.v2.json_case` value: `pascal`, `camel` or `snake`.
    pub fn from_config(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "pascal" | "pascalcase" => Some(Self::Pascal),
            "camel" | "camelcase" => Some(Self::Camel),
            "snake" | "snakecase" | "snake_case" => Some(Self::Snake),
            _ => None,
        }
    }
}

impl Dates {
    /// A `dialects.v2.json_dates` value: `iso8601` or `dcjs`.
    pub fn from_config(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "iso8601" => Some(Self::Iso8601),
            "dcjs" | "dcjscompatible" => Some(Self::Dcjs),
            _ => None,
        }
    }
}

impl JsonStyle {
    /// This style changed by a `jsconfig` value: comma-separated `Key:Value` pairs, a key alone
    /// meaning `true`, names and values in any letter case. Keys this gateway has no use for
    /// (`ExcludeDefaultValues`, ...) are ignored, as ServiceStack ignores unknown ones; a value
    /// it cannot read for a key it knows is refused with the reason.
    pub fn with_jsconfig(self, raw: &str) -> Result<Self, String> {
        let mut style = self;
        for item in raw.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = item.split_once(':').unwrap_or((item, "true"));
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            let flag =
                || parse_bool(value).ok_or_else(|| format!("jsconfig {key} must be true or false"));
            match key.as_str() {
                "emitcamelcasenames" if flag()? => style.case = Case::Camel,
                "emitlowercaseunderscorenames" if flag()? => style.case = Case::Snake,
                "textcase" => {
                    style.case = match value.to_ascii_lowercase().as_str() {
                        "default" => self.case,
                        "pascalcase" => Case::Pascal,
                        "camelcase" => Case::Camel,
                        "snakecase" => Case::Snake,
                        _ => return Err(
                            "jsconfig TextCase must be Default, PascalCase, CamelCase or SnakeCase"
                                .into(),
                        ),
                    }
                }
                "datehandler" => {
                    style.dates = match value.to_ascii_lowercase().as_str() {
                        "iso8601" => Dates::Iso8601,
                        "dcjscompatible" => Dates::Dcjs,
                        _ => {
                            return Err(
                                "jsconfig DateHandler must be ISO8601 or DCJSCompatible".into()
                            )
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(style)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn jsconfig_values() {
        let d = JsonStyle::default();
        let camel = d.with_jsconfig("EmitCamelCaseNames:true").unwrap();
        assert_eq!(camel.case, Case::Camel);
        assert_eq!(
            d.with_jsconfig("emitcamelcasenames").unwrap().case,
            Case::Camel
        );
        assert_eq!(
            d.with_jsconfig("TextCase:SnakeCase").unwrap().case,
            Case::Snake
        );
        let both = d
            .with_jsconfig(
                "ExcludeDefaultValues:true, TextCase:CamelCase,DateHandler:DCJSCompatible",
            )
            .unwrap();
        assert_eq!(
            both,
            JsonStyle {
                case: Case::Camel,
                dates: Dates::Dcjs
            }
        );
        assert_eq!(
            camel.with_jsconfig("TextCase:Default").unwrap().case,
            Case::Camel
        );
        assert_eq!(d.with_jsconfig("EmitCamelCaseNames:false").unwrap(), d);
        assert!(d.with_jsconfig("DateHandler:Yesterday").is_err());
        assert!(d.with_jsconfig("EmitCamelCaseNames:maybe").is_err());
        assert!(d.with_jsconfig("TextCase:Shouting").is_err());
    }

    #[test]
    fn config_values() {
        assert_eq!(Case::from_config("Camel"), Some(Case::Camel));
        assert_eq!(Case::from_config("kebab"), None);
        assert_eq!(Dates::from_config("dcjs"), Some(Dates::Dcjs));
        assert_eq!(Dates::from_config("unix"), None);
    }
}
