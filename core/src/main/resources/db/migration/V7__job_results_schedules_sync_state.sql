-- The sync worker: a job's report, periodic schedules fired once across workers, each directory's
-- sync watermark, and directory groups found by their stable id.

-- What a finished job produced (a sync's report of created, updated, ... entries).
ALTER TABLE jobs ADD COLUMN result jsonb;
-- Finished jobs are purged after the retention period (sync.retention).
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
COMMENT ON COLUMN jobs.result IS 'The report of the last run: a sync''s counts and conflicts; also written by dry runs';

-- Periodic jobs. A scheduler fires a schedule by moving next_run_at forward in the transaction
-- that enqueues the job; the row lock makes that happen once across any number of workers.
CREATE TABLE job_schedules (
    name          text        PRIMARY KEY CHECK (name <> ''),
    job_type      text        NOT NULL,
    payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    every_ms      bigint      NOT NULL CHECK (every_ms > 0),
    next_run_at   timestamptz NOT NULL,
    last_job_id   uuid        REFERENCES jobs (id) ON DELETE SET NULL,
    last_fired_at timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE job_schedules IS 'Periodic jobs: each is fired once per period across all sync workers';

-- Where incremental sync continues: the highest change stamp (modifyTimestamp or uSNChanged)
-- seen by the last successful sync of the directory.
CREATE TABLE directory_sync_state (
    directory_id      uuid        PRIMARY KEY REFERENCES directories (id) ON DELETE CASCADE,
    watermark         text,
    last_full_at      timestamptz,
    last_success_at   timestamptz,
    last_job_id       uuid        REFERENCES jobs (id) ON DELETE SET NULL,
    provisioned_until timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN directory_sync_state.watermark IS 'The highest modifyTimestamp (generalized time) or uSNChanged seen';
COMMENT ON COLUMN directory_sync_state.provisioned_until IS 'Accounts changed (updated_at) after this are provisioned by the next run';

-- A directory group is a resource of type group named by its entryUUID/objectGUID in its directory.
CREATE UNIQUE INDEX resources_directory_group_key ON resources (source_system, identifier)
    WHERE type = 'group' AND NOT deleted;

-- Sync looks up a page of usernames across every directory (a username another directory holds is
-- a conflict, not a match).
CREATE INDEX users_lower_username_idx ON users (lower(username));
