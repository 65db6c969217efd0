-- The SAML service provider's own key pairs, kept in the store so that every gateway sharing it
-- signs and decrypts with the same keys.

CREATE TABLE sp_keys (
    usage                  text        PRIMARY KEY CHECK (usage IN ('signing', 'encryption')),
    certificate_pem        text        NOT NULL,
    private_key_sealed     text        NOT NULL,
    fingerprint_sha256     text        NOT NULL CHECK (fingerprint_sha256 ~ '^[0-9a-f]{64}$'),
    source                 text        NOT NULL CHECK (source IN ('generated', 'api')),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE sp_keys IS 'The SAML SP''s key pairs when no key files are configured; one row per usage';
COMMENT ON COLUMN sp_keys.private_key_sealed IS 'PEM (PKCS#8) private key sealed with SecretBox (AES-256-GCM) under the master key, purpose sp_keys.private_key:<usage>';
COMMENT ON COLUMN sp_keys.fingerprint_sha256 IS 'SHA-256 of the certificate''s DER encoding, lower-case hex';
