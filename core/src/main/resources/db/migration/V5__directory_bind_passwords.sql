-- Directories managed through the admin API: their service account's bind password, sealed.
-- The value is written by io.authgate.core.crypto.SecretBox as v1:<key id>:<base64(nonce | ciphertext | tag)>
-- (AES-256-GCM under the master key; the key id and the nonce travel inside the value), bound to the
-- purpose directories.bind_password:<directory id>, so it opens on no other row. Directories defined
-- in configuration keep their password in configuration: the column stays NULL for them.

ALTER TABLE directories ADD COLUMN bind_password_sealed text;

ALTER TABLE directories ADD CONSTRAINT directories_bind_password_sealed_check CHECK (
    bind_password_sealed IS NULL OR (source = 'api' AND bind_dn IS NOT NULL AND bind_password_sealed LIKE 'v1:%'));

COMMENT ON COLUMN directories.bind_password_sealed IS
    'API-managed directories: the bind password sealed with SecretBox (AES-256-GCM, purpose directories.bind_password:<id>); never returned by the API';
COMMENT ON COLUMN directories.settings IS
    'Everything else of the directory definition, in the configuration file''s keys (userFilter, groups, pool, timeouts, breaker, ...); never a secret';
