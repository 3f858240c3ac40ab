"""Statements an attacker would send as agent SQL, by class. Every one is refused.

Each runs on whichever engine the suite runs on (CI runs both), as Alice in Acme.
"""

# Tables that are not an agent's data, and what an attacker wants from each.
PRIZES = {
    "accounts_user": "email, password, is_superuser",
    "django_session": "session_key, session_data",
    "accounts_apitoken": "token_digest, user_id",
    "orgs_invitation": "token_digest, email",
    "accounts_secret": "name, ciphertext",
    "webhooks_webhookevent": "body",
    "orgs_membership": "user_id, role",
    "account_emailaddress": "email, verified",
    "mfa_authenticator": "data",
    "accounts_auditevent": "metadata",
    "usersessions_usersession": "session_key, ip",
    "accounts_oauthtoken": "ciphertext",
    "socialaccount_socialtoken": "token, token_secret",
    "django_admin_log": "change_message",
}

# A CTE named after a table, defined somewhere the reference cannot see: the name
# must still mean the table. One statement per prize and place.
_SHADOW_PLACES = [
    # in a WHERE subquery (the attack that was found)
    "SELECT {cols} FROM {t} WHERE 1 = (WITH {t} AS (SELECT 1 AS x) SELECT x FROM {t})",
    # in an EXISTS, a FROM subquery, a select-list subquery, a join
    "SELECT {cols} FROM {t} WHERE EXISTS "
    "(WITH {t} AS (SELECT 1 AS x) SELECT x FROM {t})",
    "SELECT * FROM (WITH {t} AS (SELECT 1 AS x) SELECT x FROM {t}) AS s, {t}",
    "SELECT (WITH {t} AS (SELECT 1 AS x) SELECT x FROM {t}) AS y, {cols} FROM {t}",
    "SELECT n.title FROM testapp_memo n JOIN {t} ON 1 = "
    "(WITH {t} AS (SELECT 1 AS x) SELECT x FROM {t})",
    # a later sibling CTE is not visible to an earlier one
    "WITH a AS (SELECT {cols} FROM {t}), {t} AS (SELECT 1 AS x) SELECT * FROM a",
    # a parenthesised branch's WITH stops at its parenthesis
    "(WITH {t} AS (SELECT 1 AS x) SELECT x FROM {t}) UNION ALL SELECT 1 FROM {t}",
]
CTE_SHADOWING = (
    [
        place.format(t=table, cols=cols)
        for table, cols in PRIZES.items()
        for place in _SHADOW_PLACES[:3]
    ]
    + [
        place.format(t=table, cols=cols)
        for table, cols in list(PRIZES.items())[:4]
        for place in _SHADOW_PLACES[3:]
    ]
    + [
        # PostgreSQL folds unquoted names; a quoted CTE of another case is not the table
        'WITH "Accounts_User" AS (SELECT 1 AS x) SELECT email FROM accounts_user',
        # the CTE's own body sees the real table
        "WITH accounts_user AS (SELECT email FROM accounts_user) "
        "SELECT * FROM accounts_user",
    ]
)

QUALIFIED = [
    "SELECT * FROM main.testapp_memo",
    'SELECT * FROM "main"."testapp_memo"',
    "SELECT * FROM [main].[testapp_memo]",
    "SELECT * FROM `main`.`testapp_memo`",
    "SELECT * FROM 'main'.'testapp_memo'",
    "SELECT * FROM MAIN.testapp_memo",
    "SELECT * FROM main/**/./**/testapp_memo",
    "SELECT * FROM main . testapp_memo",
    "SELECT * FROM temp.testapp_memo",
    "SELECT * FROM public.testapp_memo",
    'SELECT * FROM "public"."testapp_memo"',
    "SELECT * FROM pg_catalog.pg_class",
    "SELECT title FROM testapp_memo WHERE id IN (SELECT id FROM main.testapp_memo)",
    "SELECT * FROM testapp_memo n, main.testapp_folder b",
]

CATALOGS = [
    "SELECT * FROM sqlite_master",
    "SELECT * FROM sqlite_schema",
    "SELECT * FROM sqlite_temp_master",
    "SELECT title FROM testapp_memo UNION SELECT name FROM sqlite_master",
    "SELECT * FROM pg_class",
    "SELECT rolname, rolpassword FROM pg_authid",
    "SELECT * FROM pg_roles",
    "SELECT usename, passwd FROM pg_shadow",
    "SELECT query FROM pg_stat_activity",
    "SELECT * FROM pg_settings",
    "SELECT * FROM pg_stats",
    "SELECT * FROM pg_proc",
    "SELECT * FROM pg_largeobject",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM information_schema.columns",
    "SELECT title FROM testapp_memo UNION SELECT usename FROM pg_user",
    "SELECT * FROM pragma_table_info('accounts_user')",
    "SELECT * FROM json_each('[1]')",
    "SELECT * FROM generate_series(1, 10)",
]

OTHER_TABLES = [f"SELECT {cols} FROM {table}" for table, cols in PRIZES.items()] + [
    "SELECT * FROM testapp_memo WHERE owner_email IN (SELECT email FROM accounts_user)",
    "SELECT n.title, u.password FROM testapp_memo n JOIN accounts_user u ON 1 = 1",
    "SELECT title FROM testapp_memo UNION SELECT session_data FROM django_session",
]

FUNCTIONS = [
    "SELECT set_config('scoping.owner_email', 'bob@bobco.test', true)",
    "SELECT * FROM testapp_memo "
    "WHERE set_config('scoping.unscoped', 'on', true) = 'on'",
    "SELECT current_setting('scoping.owner_email')",
    "SELECT pg_catalog.set_config('role', 'postgres', true)",
    "SELECT pg_sleep(10)",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT query_to_xml('select * from accounts_user', true, true, '')",
    "SELECT pg_advisory_lock(1)",
    "SELECT pg_notify('x', 'y')",
    "SELECT pg_terminate_backend(1)",
    "SELECT version()",
    "SELECT load_extension('evil')",
    "SELECT randomblob(1000000000)",
    "SELECT zeroblob(1000000000)",
    "SELECT repeat('x', 1000000000)",
    "SELECT lpad('x', 1000000000, 'y')",
    "SELECT rpad('x', 1000000000, 'y')",
    "SELECT format('%1000000000s', 'x')",
    "SELECT printf('%.300000000c', 'x')",
    "SELECT printf('%300000000d', 1)",
    "SELECT printf('%*d', 300000000, 1)",
    "SELECT printf(title, 1) FROM testapp_memo",
    "SELECT sqlite_version()",
    "SELECT hex(randomblob(10))",
    "SELECT row_to_json(n) FROM testapp_memo n",
    "SELECT CAST('accounts_user' AS regclass)",
    "SELECT 'accounts_user'::regclass::oid",
    "SELECT txid_current()",
    "SELECT inet_server_addr()",
]

STATEMENTS = [
    "PRAGMA table_info(testapp_memo)",
    "ATTACH DATABASE 'db.sqlite3' AS other",
    "DETACH DATABASE other",
    "VACUUM",
    "ANALYZE",
    "REINDEX",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT x",
    "RELEASE x",
    "SET ROLE postgres",
    "SET scoping.unscoped = 'on'",
    "RESET ALL",
    "RESET ROLE",
    "CREATE TABLE stolen AS SELECT * FROM testapp_memo",
    "CREATE TEMP TABLE testapp_memo (id int)",
    "CREATE VIEW v AS SELECT * FROM accounts_user",
    "DROP TABLE testapp_memo",
    "ALTER TABLE testapp_memo ADD COLUMN x int",
    "SELECT * INTO stolen FROM testapp_memo",
    "COPY testapp_memo TO '/tmp/x'",
    "DO $$ BEGIN PERFORM 1; END $$",
    "LISTEN x",
    "NOTIFY x",
    "PREPARE p AS SELECT 1",
    "EXECUTE p",
    "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM accounts_user",
    "LOCK TABLE testapp_memo",
    "TRUNCATE testapp_memo",
    "GRANT ALL ON testapp_memo TO PUBLIC",
    "EXPLAIN SELECT * FROM accounts_user",
    "SELECT * FROM testapp_memo FOR UPDATE",
    "SELECT * FROM testapp_memo FOR SHARE",
    "WITH gone AS (DELETE FROM testapp_memo RETURNING *) SELECT * FROM gone",
    "WITH moved AS (UPDATE testapp_memo SET owner_email = 'x' RETURNING *) SELECT 1",
    "DELETE FROM testapp_memo",
    "UPDATE testapp_memo SET title = 'x'",
    "SELECT $1",
    "SELECT :name",
]

MULTIPLE = [
    "SELECT 1; SELECT 2",
    "SELECT * FROM testapp_memo; DELETE FROM testapp_memo",
    "SELECT 1 /* harmless */; DROP TABLE testapp_memo",
    "SELECT 1 --\n; DROP TABLE testapp_memo",
    "SELECT 1;; UPDATE accounts_user SET is_superuser = true",
]

RECURSIVE = [
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT count(*) FROM c",
    "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r "
    "WHERE length(s) < 100000000) SELECT max(length(s)) FROM r",
    "SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x FROM c) "
    "SELECT count(*) FROM c)",
]

QUERIES = (
    CTE_SHADOWING
    + QUALIFIED
    + CATALOGS
    + OTHER_TABLES
    + FUNCTIONS
    + STATEMENTS
    + MULTIPLE
    + RECURSIVE
)

WRITES = [
    # the critical one: a CTE named after the table, so the target went unchecked
    "UPDATE accounts_user SET is_superuser = true, is_staff = true "
    "WHERE 1 = (WITH accounts_user AS (SELECT 1 AS x) SELECT x FROM accounts_user)",
    "UPDATE orgs_membership SET role = 'owner' "
    "WHERE 1 = (WITH orgs_membership AS (SELECT 1 AS x) SELECT x FROM orgs_membership)",
    "UPDATE testapp_memo SET title = (WITH a AS (SELECT 1) SELECT password FROM "
    "accounts_user LIMIT 1)",
    "UPDATE testapp_memo SET title = (SELECT password FROM accounts_user LIMIT 1) "
    "WHERE 1 = (WITH accounts_user AS (SELECT 1 AS x) SELECT x FROM accounts_user)",
    "INSERT INTO testapp_memo (title, body, created_at, updated_at) "
    "SELECT password, email, '2026-01-01', '2026-01-01' FROM accounts_user "
    "WHERE 1 = (WITH accounts_user AS (SELECT 1 AS x) SELECT x FROM accounts_user)",
    "DELETE FROM orgs_membership "
    "WHERE 1 = (WITH orgs_membership AS (SELECT 1 AS x) SELECT x FROM orgs_membership)",
    "WITH x AS (SELECT 1) DELETE FROM testapp_memo",
    "WITH accounts_user AS (SELECT 1) UPDATE accounts_user SET is_superuser = true",
    # INSERT … SELECT and UPDATE … FROM reading other tables
    "INSERT INTO testapp_memo (title, body, created_at, updated_at) "
    "SELECT session_data, '', '2026-01-01', '2026-01-01' FROM django_session",
    "UPDATE testapp_memo SET title = u.password FROM accounts_user u",
    "UPDATE testapp_memo SET title = 'x' FROM accounts_user WHERE accounts_user.id = 1",
    "DELETE FROM testapp_memo USING accounts_user WHERE accounts_user.is_superuser",
    # conflict clauses: a REPLACE deletes the conflicting row of another scope
    "INSERT OR REPLACE INTO testapp_memo (id, title, body, created_at, updated_at) "
    "VALUES (1, 'x', '', '2026-01-01', '2026-01-01')",
    "REPLACE INTO testapp_memo (title, body, created_at, updated_at) "
    "VALUES ('x', '', '2026-01-01', '2026-01-01')",
    "INSERT OR IGNORE INTO testapp_memo (title, body, created_at, updated_at) "
    "VALUES ('x', '', '2026-01-01', '2026-01-01')",
    "INSERT OR ROLLBACK INTO testapp_memo (title) VALUES ('x')",
    "UPDATE OR REPLACE testapp_memo SET title = 'x'",
    "INSERT INTO testapp_memo (title) VALUES ('x') "
    "ON CONFLICT (id) DO UPDATE SET title = 'y'",
    "INSERT INTO testapp_memo (title) VALUES ('x') ON CONFLICT DO NOTHING",
    # the scope's and the database's columns
    "UPDATE testapp_memo SET owner_email = 'bob@bobco.test'",
    "UPDATE testapp_memo SET org_id = NULL",
    "UPDATE testapp_memo SET id = 1",
    "INSERT INTO testapp_memo (title, body, owner_email) "
    "VALUES ('x', '', 'bob@x.test')",
    "INSERT INTO testapp_memo (id, title, body, created_at, updated_at) "
    "VALUES (1, 'x', '', '2026-01-01', '2026-01-01')",
    "INSERT INTO testapp_memo VALUES (1, 'x')",
    "UPDATE testapp_memo SET title = 'x' RETURNING body",
    "DELETE FROM testapp_memo RETURNING *",
    "DELETE FROM testapp_memo WHERE id = 1 LIMIT 1",
    # tables that are not an agent's
    "INSERT INTO accounts_user (email) VALUES ('x@x.test')",
    "UPDATE accounts_user SET is_superuser = true",
    "DELETE FROM orgs_membership",
    "UPDATE orgs_membership SET role = 'owner'",
    "UPDATE accounts_apitoken SET revoked_at = NULL",
    "DELETE FROM django_session",
    "UPDATE accounts_secret SET ciphertext = ''",
    "INSERT INTO accounts_oauthtoken (provider) VALUES ('x')",
    "DELETE FROM main.testapp_memo",
    "UPDATE main.testapp_memo SET title = 'x'",
    "INSERT INTO temp.testapp_memo (title) VALUES ('x')",
    "UPDATE public.testapp_memo SET title = 'x'",
    "DELETE FROM sqlite_master",
    # not a write, or more than one
    "SELECT * FROM testapp_memo",
    "DELETE FROM testapp_memo; DELETE FROM testapp_folder",
    "UPDATE testapp_memo SET title = set_config('scoping.unscoped', 'on', true)",
    "UPDATE testapp_memo SET title = printf('%.300000000c', 'x')",
]
