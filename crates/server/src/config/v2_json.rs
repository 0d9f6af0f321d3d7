//! `dialects.v2.json_case` and `dialects.v2.json_dates`: how the v2 dialect writes JSON when a
//! request's `jsconfig` does not say (docs/dialects/v2.md).

use rosetta_v2::{Case, Dates, JsonStyle};

use super::{Config, ConfigError};

impl Config {
    /// The v2 mount's JSON defaults; the keys belong to v2 alone.
    pub fn v2_json_style(&self) -> Result<JsonStyle, ConfigError> {
        for (name, m) in &self.dialects {
            if name != "v2" && (m.json_case.is_some() || m.json_dates.is_some()) {
                return Err(ConfigError::Invalid(format!(
                    "dialects.{name}: json_case and json_dates are v2 keys"
                )));
            }
        }
        let mut style = JsonStyle::default();
        let Some(v2) = self.dialects.get("v2") else {
            return Ok(style);
        };
        if let Some(raw) = &v2.json_case {
            style.case = Case::from_config(raw).ok_or_else(|| {
                ConfigError::Invalid("dialects.v2.json_case must be pascal, camel or snake".into())
            })?;
        }
        if let Some(raw) = &v2.json_dates {
            style.dates = Dates::from_config(raw).ok_or_else(|| {
                ConfigError::Invalid("dialects.v2.json_dates must be iso8601 or dcjs".into())
            })?;
        }
        Ok(style)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn load(toml: &str) -> Result<Config, ConfigError> {
        Config::from_sources(Some(toml), std::iter::empty())
    }

    #[test]
    fn v2_json_defaults() {
        assert_eq!(
            load("").unwrap().v2_json_style().unwrap(),
            JsonStyle::default()
        );
        let c = load("[dialects.v2]\njson_case = \"camel\"\njson_dates = \"dcjs\"\n").unwrap();
        assert_eq!(
            c.v2_json_style().unwrap(),
            JsonStyle {
                case: Case::Camel,
                dates: Dates::Dcjs
            }
        );
        assert!(load("[dialects.v2]\njson_case = \"kebab\"\n").is_err());
        assert!(load("[dialects.v2]\njson_dates = \"unix\"\n").is_err());
        assert!(load("[dialects.usr]\njson_case = \"camel\"\n").is_err());
    }
}
