-- Resources (the generic record of anything a directory holds), users (accounts extending a
-- resource) and SAML identity providers.

-- Anything a directory holds: a user now; groups, devices and the like later. Soft-deleted.
CREATE TABLE resources (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    type           text        NOT NULL CHECK (type ~ '^[a-z][a-z0-9_-]{0,62}$'),
    subtype        text,
    typename       text,
    displayname    text,
    identifier     text,
    source_system  text,
    description    text,
    notes          text,
    tags           text[]      NOT NULL DEFAULT '{}',
    created        timestamptz NOT NULL DEFAULT now(),
    modified       timestamptz NOT NULL DEFAULT now(),
    deleted        boolean     NOT NULL DEFAULT false,
    deleted_at     timestamptz,
    CONSTRAINT resources_deleted_at_check CHECK (deleted = (deleted_at IS NOT NULL))
);

CREATE INDEX resources_type_idx ON resources (type, subtype) WHERE NOT deleted;
CREATE INDEX resources_identifier_idx ON resources (identifier);
CREATE INDEX resources_tags_idx ON resources USING gin (tags);

COMMENT ON TABLE resources IS 'The generic record of anything a directory holds; users extend it';
COMMENT ON COLUMN resources.type IS 'What the resource is: user, group, ...';
COMMENT ON COLUMN resources.identifier IS 'How the source system names it (username, DN, NameID, ...)';
COMMENT ON COLUMN resources.source_system IS 'Where it came from: a directory name, an IdP slug, import, ...';

-- Accounts. One row per resource of type user.
CREATE TABLE users (
    resource_id          uuid        PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
    directory_id         uuid        REFERENCES directories (id),
    username             text        NOT NULL CHECK (username <> ''),
    email                text,
    first_name           text,
    last_name            text,
    display_name         text,
    department           text,
    employee_type        text,
    manager              text,
    manager_id           uuid        REFERENCES users (resource_id) ON DELETE SET NULL,
    status               text        NOT NULL DEFAULT 'pending'
                                     CHECK (status IN ('pending', 'active', 'suspended', 'deprovisioned')),
    provisioning_method  text        NOT NULL
                                     CHECK (provisioning_method IN ('manual', 'ldap_sync', 'sso_jit', 'import', 'scim')),
    account_kind         text        NOT NULL DEFAULT 'native'
                                     CHECK (account_kind IN ('native', 'guest', 'privileged', 'service')),
    ldap_dn              text,
    external_id          text,
    saml_issuer          text,
    saml_name_id         text,
    last_login_at        timestamptz,
    last_sync_at         timestamptz,
    deprovision_at       timestamptz,
    anonymise_at         timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_saml_subject_check CHECK ((saml_issuer IS NULL) = (saml_name_id IS NULL))
);

-- A SAML subject (IdP entity ID + NameID) names one account.
CREATE UNIQUE INDEX users_saml_subject_key ON users (saml_issuer, saml_name_id) WHERE saml_issuer IS NOT NULL;
-- A username names one account per directory, and one among accounts of no directory (SSO, import).
CREATE UNIQUE INDEX users_directory_username_key ON users (directory_id, lower(username)) WHERE directory_id IS NOT NULL;
CREATE UNIQUE INDEX users_local_username_key ON users (lower(username)) WHERE directory_id IS NULL;
-- entryUUID / objectGUID: stable across renames, what sync matches on.
CREATE UNIQUE INDEX users_directory_external_id_key ON users (directory_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX users_directory_dn_idx ON users (directory_id, lower(ldap_dn)) WHERE ldap_dn IS NOT NULL;
-- Emails are not unique: lookups by email must handle (and refuse) more than one match.
CREATE INDEX users_email_idx ON users (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX users_status_idx ON users (status);
CREATE INDEX users_provisioning_method_idx ON users (provisioning_method);
CREATE INDEX users_department_idx ON users (department) WHERE department IS NOT NULL;
CREATE INDEX users_manager_id_idx ON users (manager_id) WHERE manager_id IS NOT NULL;
CREATE INDEX users_updated_at_idx ON users (updated_at);
CREATE INDEX users_deprovision_at_idx ON users (deprovision_at) WHERE deprovision_at IS NOT NULL;
CREATE INDEX users_anonymise_at_idx ON users (anonymise_at) WHERE anonymise_at IS NOT NULL;

COMMENT ON TABLE users IS 'Accounts: a resource of type user with its account fields';
COMMENT ON COLUMN users.manager IS 'The manager as the source names it (an LDAP DN, a username); manager_id once resolved';
COMMENT ON COLUMN users.external_id IS 'The directory''s stable id: entryUUID (OpenLDAP) or objectGUID (Active Directory)';
COMMENT ON COLUMN users.saml_issuer IS 'Entity ID of the IdP whose NameID (saml_name_id) names this account';
COMMENT ON COLUMN users.updated_at IS 'Last change of the account itself, the watermark for provisioning; '
    'logins and sync visits (last_login_at, last_sync_at) do not move it';

-- resources.modified follows every update.
CREATE FUNCTION resources_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.modified := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER resources_touch BEFORE UPDATE ON resources FOR EACH ROW EXECUTE FUNCTION resources_touch();

-- users.updated_at follows a change of anything but the login and sync bookkeeping, so a login
-- does not make every account look changed to incremental provisioning.
CREATE FUNCTION users_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    compared users;
BEGIN
    compared := NEW;
    compared.last_login_at := OLD.last_login_at;
    compared.last_sync_at := OLD.last_sync_at;
    compared.updated_at := OLD.updated_at;
    IF compared IS DISTINCT FROM OLD THEN
        NEW.updated_at := greatest(now(), OLD.updated_at);
    ELSE
        NEW.updated_at := OLD.updated_at;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_touch();

-- SAML 2.0 identity providers.
CREATE TABLE identity_providers (
    id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    slug                   text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    display_name           text        NOT NULL,
    entity_id              text,
    metadata_source        text        NOT NULL CHECK (metadata_source IN ('file', 'url', 'inline')),
    metadata_location      text,
    metadata_xml           text,
    metadata_refresh       interval,
    metadata_fetched_at    timestamptz,
    settings               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    enabled                boolean     NOT NULL DEFAULT true,
    source                 text        NOT NULL DEFAULT 'config' CHECK (source IN ('config', 'api')),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT identity_providers_metadata_check CHECK (
        CASE metadata_source WHEN 'inline' THEN metadata_xml IS NOT NULL ELSE metadata_location IS NOT NULL END)
);

CREATE UNIQUE INDEX identity_providers_entity_id_key ON identity_providers (entity_id) WHERE entity_id IS NOT NULL;

COMMENT ON TABLE identity_providers IS 'SAML 2.0 identity providers the gateway accepts assertions from';
COMMENT ON COLUMN identity_providers.entity_id IS 'The IdP''s entity ID; NULL until its metadata was first read';
COMMENT ON COLUMN identity_providers.metadata_location IS 'A file path (file) or an https URL (url)';
COMMENT ON COLUMN identity_providers.metadata_xml IS 'Inline metadata, or the last good copy read from the file or URL';
COMMENT ON COLUMN identity_providers.settings IS 'Attribute mapping, JIT provisioning, default roles, IdP-initiated login, signing';
