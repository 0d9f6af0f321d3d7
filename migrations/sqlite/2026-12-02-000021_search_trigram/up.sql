-- Substring search by index (issue 18): the v2 `Name` search and the query model's co/sw/ew
-- (SCIM filters) on names, usernames and emails read the folded keys through this trigram
-- index instead of scanning the tenant. FTS5's trigram tokenizer indexes every run of three
-- characters, so a MATCH on a quoted term of at least three characters finds every row whose
-- column holds it (a superset when case folding differs: the store keeps its LIKE on the key
-- as the exact test). Contentless, as the keys already live in `users`; contentless_delete
-- lets the triggers remove a row by its rowid (the user's id).
CREATE VIRTUAL TABLE users_search USING fts5(
    name_key, username_key, email_key,
    content = '', contentless_delete = 1, tokenize = 'trigram'
);

INSERT INTO users_search (rowid, name_key, username_key, email_key)
    SELECT id, name_key, username_key, email_key FROM users;

CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search (rowid, name_key, username_key, email_key)
        VALUES (new.id, new.name_key, new.username_key, new.email_key);
END;

CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    DELETE FROM users_search WHERE rowid = old.id;
END;

-- Most user updates (a login's timestamps, a status) leave the keys alone: only a change of
-- one of them rewrites the row's trigrams.
CREATE TRIGGER users_search_update AFTER UPDATE OF name_key, username_key, email_key ON users
WHEN old.name_key IS NOT new.name_key
    OR old.username_key IS NOT new.username_key
    OR old.email_key IS NOT new.email_key
BEGIN
    DELETE FROM users_search WHERE rowid = old.id;
    INSERT INTO users_search (rowid, name_key, username_key, email_key)
        VALUES (new.id, new.name_key, new.username_key, new.email_key);
END;
