//! The keaz CSV import parser: it never panics, and a file it accepts holds only valid users
//! with distinct email keys, none already taken, no password, one row number each in file
//! order; written back as CSV, the users it accepted are accepted again, unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rosetta_core::{Email, NameInput, NewUser, Profile, Status, TenantId};
use rosetta_keaz::fuzzing::parse;

/// The addresses the company already has, as the importer is told: any key starting `t`.
fn taken(key: &str) -> bool {
    key.starts_with('t')
}

const HEADER: [&str; 14] = [
    "name",
    "email",
    "perms",
    "license-types",
    "branch_ids",
    "employee_id",
    "contact_number",
    "license_number",
    "license_expiry_month",
    "license_expiry_year",
    "license_type",
    "license_country",
    "cost-centre_id",
    "activated-via-company-id",
];

fn cells(u: &NewUser) -> Vec<String> {
    let NameInput::Full(name) = &u.name else {
        panic!("an imported user's name is one text")
    };
    let Profile {
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    } = &u.profile;
    let mut out = vec![
        name.clone(),
        u.email.clone(),
        u.perms.join(";"),
        u.license_types.join(";"),
        u.branch_ids.join(";"),
    ];
    for field in [
        employee_id,
        contact_number,
        license_number,
        license_expiry_month,
        license_expiry_year,
        license_type,
        license_country,
        cost_centre_id,
        activated_via_company_id,
    ] {
        out.push(field.clone().unwrap_or_default());
    }
    out
}

fn same(a: &NewUser, b: &NewUser) -> bool {
    a.name == b.name
        && a.email == b.email
        && a.perms == b.perms
        && a.license_types == b.license_types
        && a.branch_ids == b.branch_ids
        && a.profile == b.profile
}

fuzz_target!(|body: &[u8]| {
    let parsed = match parse(body, TenantId(1), taken) {
        Ok(p) => p,
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            assert!(errors.iter().all(|e| e.row >= 1));
            return;
        }
    };
    assert_eq!(parsed.users.len(), parsed.rows.len());
    assert!(parsed.rows.iter().all(|r| *r >= 2));
    assert!(
        parsed.rows.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        parsed.rows
    );
    let mut keys = Vec::new();
    for u in &parsed.users {
        let email = Email::parse(&u.email).unwrap_or_else(|e| panic!("{:?}: {e:?}", u.email));
        let key = email.key();
        assert!(!taken(&key), "{key} is taken");
        assert!(!keys.contains(&key), "{key} twice");
        keys.push(key);
        assert!(u.password.is_none(), "an import set a password");
        assert_eq!(u.status, Status::Pending);
    }

    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    rows.extend(parsed.users.iter().map(cells));
    for row in &rows {
        w.write_record(row).unwrap_or_else(|e| panic!("{e}"));
    }
    let file = w.into_inner().unwrap_or_else(|e| panic!("{e}"));
    match parse(&file, TenantId(1), taken) {
        Ok(again) => {
            assert_eq!(again.users.len(), parsed.users.len());
            for (a, b) in again.users.iter().zip(&parsed.users) {
                assert!(same(a, b), "{a:?} became {b:?}");
            }
        }
        Err(errors) => panic!(
            "refused when written back: {errors:?}\n{}",
            String::from_utf8_lossy(&file)
        ),
    }
});
