-- The rest of the data model: group memberships and the operations that maintain them, identity
-- correlation (prime records), jobs and import staging, the audit log and API keys.

-- Operations: one run of group-membership maintenance (a full or partial update, a delete, a
-- reconcile). Memberships remember the operation that last confirmed them (mark and sweep).
CREATE TABLE operations (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    type           text        NOT NULL CHECK (type IN ('full-update', 'partial-update', 'delete', 'reconcile')),
    status         text        NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'running', 'complete', 'failed')),
    directory_id   uuid        REFERENCES directories (id) ON DELETE SET NULL,
    group_id       uuid        REFERENCES resources (id) ON DELETE CASCADE,
    job_id         uuid,
    details        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created        timestamptz NOT NULL DEFAULT now(),
    modified       timestamptz NOT NULL DEFAULT now(),
    completed      timestamptz,
    CONSTRAINT operations_completed_check CHECK ((status IN ('complete', 'failed')) = (completed IS NOT NULL))
);

CREATE INDEX operations_group_idx ON operations (group_id, created);
CREATE INDEX operations_status_idx ON operations (status) WHERE status IN ('pending', 'running');

COMMENT ON TABLE operations IS 'Runs of group-membership maintenance; memberships point at the last one that confirmed them';

-- Group memberships: a member (any resource) of a group (a resource of type group). Soft-deleted.
CREATE TABLE group_members (
    id                 bigserial   PRIMARY KEY,
    group_id           uuid        NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    member_id          uuid        NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    member_name        text,
    source             text        NOT NULL DEFAULT 'manual',
    removed            boolean     NOT NULL DEFAULT false,
    removed_at         timestamptz,
    contributing       boolean     NOT NULL DEFAULT true,
    last_operation_id  uuid        REFERENCES operations (id) ON DELETE SET NULL,
    created            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT group_members_removed_check CHECK (removed = (removed_at IS NOT NULL)),
    CONSTRAINT group_members_key UNIQUE (group_id, member_id, source)
);

CREATE INDEX group_members_member_idx ON group_members (member_id) WHERE NOT removed;
-- The sweep after a completed full update: live memberships of a group not confirmed by it.
CREATE INDEX group_members_sweep_idx ON group_members (group_id, last_operation_id) WHERE NOT removed;

COMMENT ON COLUMN group_members.source IS 'Who asserts the membership: a directory name, manual, import, ...';
COMMENT ON COLUMN group_members.contributing IS 'Whether the membership grants (false: recorded but ignored, e.g. nested beyond the limit)';
COMMENT ON COLUMN group_members.last_operation_id IS 'The operation that last confirmed it; older ones are swept after a full update';

-- Identities: prime records that tie a person's accounts together. A cohort prime groups accounts;
-- cohorts hang under a root prime (parent_id NULL at the root), resolved with a recursive query.
CREATE TABLE identities (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id    uuid        REFERENCES identities (id) ON DELETE RESTRICT,
    kind         text        NOT NULL CHECK (kind IN ('root', 'cohort')),
    displayname  text,
    attributes   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created      timestamptz NOT NULL DEFAULT now(),
    modified     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT identities_root_check CHECK ((kind = 'root') = (parent_id IS NULL)),
    CONSTRAINT identities_not_own_parent CHECK (parent_id <> id)
);

CREATE INDEX identities_parent_idx ON identities (parent_id) WHERE parent_id IS NOT NULL;

-- An account belongs to at most one cohort prime.
ALTER TABLE users ADD COLUMN identity_id uuid REFERENCES identities (id) ON DELETE SET NULL;
CREATE INDEX users_identity_idx ON users (identity_id) WHERE identity_id IS NOT NULL;

COMMENT ON TABLE identities IS 'Prime records: cohorts of one person''s accounts, under a root prime (parent_id NULL)';
COMMENT ON COLUMN users.identity_id IS 'The cohort prime this account belongs to, once correlated';

-- Jobs for the sync workers: claimed with FOR UPDATE SKIP LOCKED, leased, retried with backoff.
CREATE TABLE jobs (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    type              text        NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.-]{0,62}$'),
    payload           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status            text        NOT NULL DEFAULT 'queued'
                                  CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    dedupe_key        text,
    progress_total    bigint,
    progress_done     bigint      NOT NULL DEFAULT 0,
    progress_failed   bigint      NOT NULL DEFAULT 0,
    checkpoint        jsonb,
    error             jsonb,
    attempts          integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts      integer     NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    lease_owner       text,
    lease_expires_at  timestamptz,
    created_by        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    CONSTRAINT jobs_lease_check CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);

-- Claiming: the oldest due queued job (... WHERE status = 'queued' AND next_attempt_at <= now()
-- ORDER BY next_attempt_at FOR UPDATE SKIP LOCKED LIMIT n).
CREATE INDEX jobs_claim_idx ON jobs (next_attempt_at) WHERE status = 'queued';
-- Recovering work of a worker that died: running jobs whose lease ran out.
CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX jobs_type_created_idx ON jobs (type, created_at);
-- A periodic job fires once across all workers: one live job per dedupe key.
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running');

COMMENT ON COLUMN jobs.error IS 'The error report of the last failed attempt (or every row error of a validation)';
COMMENT ON COLUMN jobs.checkpoint IS 'Where a resumable job (an import) continues after a crash';
COMMENT ON COLUMN jobs.dedupe_key IS 'For scheduled jobs: at most one queued or running job per key';

-- Import staging: one row per input record of a bulk import, so an import resumes where it stopped.
CREATE TABLE import_staging (
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    row_number  integer     NOT NULL CHECK (row_number > 0),
    data        jsonb       NOT NULL,
    status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'committed', 'failed', 'skipped')),
    errors      jsonb,
    resource_id uuid        REFERENCES resources (id) ON DELETE SET NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, row_number)
);

CREATE INDEX import_staging_pending_idx ON import_staging (job_id, row_number) WHERE status = 'pending';

-- The audit log: append-only and hash-chained. Each row's hash is SHA-256 over a canonical
-- serialisation of its fields and prev_hash (see io.authgate.core.audit.AuditHashes); appends lock
-- the one row of audit_chain_head, so the chain never forks and ids follow chain order.
CREATE TABLE audit_log (
    id           bigserial   PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor        text        NOT NULL CHECK (actor <> ''),
    actor_type   text        NOT NULL CHECK (actor_type IN ('api_key', 'admin_user', 'system')),
    action       text        NOT NULL CHECK (action <> ''),
    target_type  text,
    target_id    text,
    reason       text,
    old_state    jsonb,
    new_state    jsonb,
    ip           text,
    user_agent   text,
    prev_hash    text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash         text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, id);

-- The end of the chain: the last row's id and hash, locked by every append.
CREATE TABLE audit_chain_head (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id    bigint  NOT NULL DEFAULT 0,
    last_hash  text    NOT NULL DEFAULT repeat('0', 64)
);
INSERT INTO audit_chain_head DEFAULT VALUES;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'audit entries can only be added; verify the chain with "authgate audit verify"';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

COMMENT ON TABLE audit_log IS 'Who changed what, when and why; append-only (triggers refuse UPDATE, DELETE, TRUNCATE) and hash-chained';
COMMENT ON COLUMN audit_log.actor IS 'An API key id, an admin username, or system';
COMMENT ON COLUMN audit_log.prev_hash IS 'The hash of the previous entry; 64 zeros for the first';

-- API keys for the admin API. Only a hash of the secret is kept.
CREATE TABLE api_keys (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text        NOT NULL CHECK (name <> ''),
    role          text        NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
    secret_hash   bytea       NOT NULL CHECK (length(secret_hash) = 32),
    bootstrap     boolean     NOT NULL DEFAULT false,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);

-- At most one live bootstrap key.
CREATE UNIQUE INDEX api_keys_one_bootstrap ON api_keys (bootstrap) WHERE bootstrap AND revoked_at IS NULL;

COMMENT ON COLUMN api_keys.secret_hash IS 'SHA-256 of the key''s 256-bit random secret';
COMMENT ON COLUMN api_keys.last_used_at IS 'Updated at most once a minute per key';
