//! SCIM filter and PATCH path text: parsing never panics, a parsed filter prints back to text
//! that parses to the same tree, and checking it against the schemas and evaluating it on a
//! resource never panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rosetta_scim::matcher::matches;
use rosetta_scim::schema::{GROUP_TYPE, USER_TYPE};
use rosetta_scim::{check_filter, parse_filter, parse_path};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(path) = parse_path(text) {
        assert_eq!(parse_path(&path.to_string()).ok(), Some(path));
    }
    let Ok(filter) = parse_filter(text) else {
        return;
    };
    assert_eq!(parse_filter(&filter.to_string()).ok(), Some(filter.clone()));
    let user = json!({
        "id": "2819c223", "userName": "bjensen", "active": true,
        "name": {"givenName": "Barbara"},
        "emails": [{"value": "b@example.com", "type": "work", "primary": true}],
        "meta": {"lastModified": "2011-05-13T04:42:34Z"}
    });
    for rt in [&USER_TYPE, &GROUP_TYPE] {
        let _ = check_filter(rt, &filter);
        let _ = matches(rt, None, &filter, &user);
    }
});
