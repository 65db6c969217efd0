-- Directories (tenants): where each LDAP directory is, how users are found, and its health.
-- Secrets (bind passwords) are not stored here yet: configuration holds them. The admin API adds
-- an encrypted column when directories become editable at runtime.
CREATE TABLE directories (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    kind               text        NOT NULL CHECK (kind IN ('openldap', 'active-directory')),
    urls               text[]      NOT NULL CHECK (cardinality(urls) > 0),
    base_dn            text        NOT NULL,
    bind_dn            text,
    settings           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    email_domains      text[]      NOT NULL DEFAULT '{}',
    source             text        NOT NULL DEFAULT 'config' CHECK (source IN ('config', 'api')),
    health_status      text        NOT NULL DEFAULT 'unknown' CHECK (health_status IN ('unknown', 'up', 'down')),
    health_checked_at  timestamptz,
    health_latency_ms  integer,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE directories IS 'LDAP directories (realms) the gateway authenticates against';
COMMENT ON COLUMN directories.source IS 'config: defined in the configuration file; api: created through the admin API';
