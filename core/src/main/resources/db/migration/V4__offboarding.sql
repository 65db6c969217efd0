-- Offboarding: when an account's personal data was erased (anonymise_at is when it is due).
ALTER TABLE users ADD COLUMN anonymised_at timestamptz;

-- The sweep's queries: accounts whose deprovisioning or erasure has come.
CREATE INDEX users_offboarding_due_idx ON users (deprovision_at) WHERE status = 'suspended' AND deprovision_at IS NOT NULL;
CREATE INDEX users_anonymise_due_idx ON users (anonymise_at)
    WHERE status = 'deprovisioned' AND anonymise_at IS NOT NULL AND anonymised_at IS NULL;

COMMENT ON COLUMN users.anonymised_at IS 'When the personal data of this deprovisioned account was erased';
