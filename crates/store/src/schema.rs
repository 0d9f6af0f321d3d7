//! One schema in portable types for both backends (written by hand: `print_schema` would give
//! SQLite's `Integer` where PostgreSQL has `BigInt`).

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    tenants (id) {
        id -> BigInt,
        name -> Text,
        integration_key_hash -> Text,
        created_at -> BigInt,
        roles_version -> BigInt,
        previous_key_hash -> Nullable<Text>,
        previous_key_valid_until -> Nullable<BigInt>,
    }
}

diesel::table! {
    roles (tenant_id, number) {
        tenant_id -> BigInt,
        number -> Integer,
        name -> Text,
        admin -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        uuid -> Text,
        tenant_id -> BigInt,
        username -> Text,
        username_key -> Text,
        email -> Text,
        email_key -> Text,
        full_name -> Text,
        first_name -> Text,
        last_name -> Text,
        name_key -> Text,
        status -> Text,
        role_number -> Integer,
        perms -> Text,
        website_role -> Nullable<Text>,
        default_account_id -> Nullable<BigInt>,
        external_id -> Nullable<Text>,
        employee_id -> Nullable<Text>,
        contact_number -> Nullable<Text>,
        license_number -> Nullable<Text>,
        license_expiry_month -> Nullable<Text>,
        license_expiry_year -> Nullable<Text>,
        license_type -> Nullable<Text>,
        license_country -> Nullable<Text>,
        cost_centre_id -> Nullable<Text>,
        activated_via_company_id -> Nullable<Text>,
        license_types -> Text,
        branch_ids -> Text,
        folder_ids -> Text,
        devices -> Text,
        password_hash -> Nullable<Text>,
        memorable_word_enc -> Nullable<Text>,
        password_expired -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<BigInt>,
        last_login_at -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
        version -> BigInt,
        full_name_key -> Text,
        import_batch -> Nullable<BigInt>,
    }
}

diesel::table! {
    import_batches (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        started_at -> BigInt,
        heartbeat_at -> BigInt,
        shown_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    usage_callers (day, tenant_id, dialect, caller, route, status_class) {
        day -> BigInt,
        tenant_id -> BigInt,
        dialect -> Text,
        caller -> Text,
        route -> Text,
        status_class -> Text,
        calls -> BigInt,
        first_seen -> BigInt,
        last_seen -> BigInt,
    }
}

diesel::table! {
    credentials (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        dialect -> Text,
        name -> Nullable<Text>,
        token_hash -> Text,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        previous_token_hash -> Nullable<Text>,
        previous_valid_until -> Nullable<BigInt>,
        last_used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    credential_audit (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        actor -> Text,
        action -> Text,
        credential_id -> Nullable<BigInt>,
        overlap_until -> Nullable<BigInt>,
        at -> BigInt,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        dialect -> Text,
        kind -> Text,
        token_hash -> Text,
        data -> Nullable<Text>,
        created_at -> BigInt,
        last_used_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        void -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        actor -> Text,
        dialect -> Text,
        action -> Text,
        user_id -> BigInt,
        user_uuid -> Text,
        user_email -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        to_addr -> Text,
        subject -> Text,
        body -> Text,
        created_at -> BigInt,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        lease_until -> Nullable<BigInt>,
        sent_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        sealed -> Bool,
        kind -> Nullable<Text>,
        import_batch -> Nullable<BigInt>,
    }
}

diesel::table! {
    user_assets (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        tag -> Text,
        data -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    bookings (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        asset -> Text,
        starts_at -> BigInt,
        ends_at -> BigInt,
        created_at -> BigInt,
    }
}

// Only the joins the authenticated-request read needs (session, its user, the user's tenant).
diesel::table! {
    login_failures (tenant_id, name_hash) {
        tenant_id -> BigInt,
        name_hash -> Text,
        failures -> Integer,
        locked_until -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    groups (id) {
        id -> BigInt,
        uuid -> Text,
        tenant_id -> BigInt,
        display_name -> Text,
        display_key -> Text,
        external_id -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        version -> BigInt,
    }
}

diesel::table! {
    group_members (group_id, user_id) {
        group_id -> BigInt,
        user_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    group_audit (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        actor -> Text,
        dialect -> Text,
        action -> Text,
        group_uuid -> Text,
        display_name -> Text,
        at -> BigInt,
    }
}

diesel::joinable!(group_members -> groups (group_id));
diesel::joinable!(group_members -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(groups, group_members, users);
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(users -> tenants (tenant_id));
diesel::allow_tables_to_appear_in_same_query!(sessions, users, tenants);

diesel::table! {
    operators (id) {
        id -> BigInt,
        username -> Text,
        username_key -> Text,
        password_hash -> Text,
        created_at -> BigInt,
        last_login_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    operator_sessions (token_hash) {
        token_hash -> Text,
        operator_id -> BigInt,
        csrf_token -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::joinable!(operator_sessions -> operators (operator_id));
diesel::allow_tables_to_appear_in_same_query!(operator_sessions, operators);
