DROP TABLE group_audit;
DROP INDEX users_tenant_full_name_key_idx;
ALTER TABLE users DROP COLUMN full_name_key;
ALTER TABLE users ADD COLUMN group_ids TEXT NOT NULL DEFAULT '[]';
UPDATE users SET group_ids = COALESCE((
    SELECT json_agg(g.uuid ORDER BY m.position, g.id)::TEXT
    FROM group_members m JOIN groups g ON g.id = m.group_id
    WHERE m.user_id = users.id
), '[]');
DROP TABLE group_members;
DROP TABLE groups;
