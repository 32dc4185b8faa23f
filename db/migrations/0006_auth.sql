-- Who may use FleetHealth: operator accounts with their sessions (the dashboard and the operator
-- API), and ingest keys (sensors and gateways posting heartbeats).

-- Operators sign in with a user name and a password. Names are stored lower-case (sign-in is
-- case-insensitive) from a small ASCII alphabet, so that no two names look alike. The password
-- hash is ASP.NET Core Identity's format (PBKDF2 with a per-password salt, its parameters inside
-- the hash): slow on purpose, since passwords are low-entropy and guessable offline.
CREATE TABLE operators (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name           text        COLLATE "C" NOT NULL UNIQUE CHECK (user_name ~ '^[a-z0-9._@-]{1,64}$'),
    password_hash       text        NOT NULL,
    role                text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    created_by          text        NOT NULL,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    disabled_at         timestamptz
);

-- A signed-in browser holds a random 32-byte token in an HttpOnly cookie; the server keeps only
-- its SHA-256. Sessions live here, not in the cookie, so that every node accepts them, and
-- signing out, disabling an operator or changing a password ends them at once. Role and
-- disabled state are read from operators on every request.
CREATE TABLE operator_sessions (
    token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    operator_id bigint      NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

-- Ingest keys: "fhk_<key_id>_<secret>", shown once at creation. Only the SHA-256 of the secret is
-- kept: the secret is 32 random bytes, so a fast hash is enough (nobody can enumerate 2^256
-- candidates), and heartbeats are validated at tens of thousands per second. A key is scoped to
-- every sensor (tag null) or to the sensors carrying one tag. Revoked keys are kept for the record.
CREATE TABLE ingest_keys (
    key_id      text        COLLATE "C" PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{12}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    secret_hash bytea       NOT NULL CHECK (octet_length(secret_hash) = 32),
    tag         text        CHECK (tag IS NULL OR length(tag) BETWEEN 1 AND 64),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL,
    revoked_at  timestamptz
);

-- Every node keeps the valid keys in memory; any change to the table (through the API, a command
-- or plain SQL) tells them to reload, so a revocation reaches every node within moments. A
-- periodic reload on each node covers notifications lost while its listening connection was down.
CREATE FUNCTION fleethealth_notify_ingest_keys()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('fleethealth_ingest_keys', '');
    RETURN NULL;
END $$;

CREATE TRIGGER ingest_keys_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ingest_keys
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_notify_ingest_keys();
