//! The database as someone who reads it directly sees it (a dump, a stolen backup): plain SQL
//! over a connection of the test's own, on either backend.

use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

/// The one text column `query` selects, row by row.
pub fn texts(url: &str, query: &str) -> Vec<String> {
    let (url, query) = (url.to_owned(), query.to_owned());
    // A thread of its own: the connection blocks, and the caller is async.
    std::thread::spawn(move || match url.strip_prefix("sqlite://") {
        Some(path) => {
            let mut c = SqliteConnection::establish(path).unwrap();
            // The gateway writes meanwhile.
            diesel::sql_query("PRAGMA busy_timeout = 5000")
                .execute(&mut c)
                .unwrap();
            diesel::dsl::sql::<Text>(&query).load(&mut c).unwrap()
        }
        None => {
            let mut c = PgConnection::establish(&url).unwrap();
            diesel::dsl::sql::<Text>(&query).load(&mut c).unwrap()
        }
    })
    .join()
    .unwrap()
}

/// Runs one statement.
pub fn execute(url: &str, statement: &str) {
    let (url, statement) = (url.to_owned(), statement.to_owned());
    std::thread::spawn(move || match url.strip_prefix("sqlite://") {
        Some(path) => {
            let mut c = SqliteConnection::establish(path).unwrap();
            // The gateway writes meanwhile.
            diesel::sql_query("PRAGMA busy_timeout = 5000")
                .execute(&mut c)
                .unwrap();
            diesel::sql_query(statement).execute(&mut c).unwrap();
        }
        None => {
            let mut c = PgConnection::establish(&url).unwrap();
            diesel::sql_query(statement).execute(&mut c).unwrap();
        }
    })
    .join()
    .unwrap();
}
