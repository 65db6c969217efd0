package io.authgate.core.apikeys;

import io.authgate.core.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys in the {@code api_keys} table: created with a role and an optional expiry (the plaintext
 * is returned once), authenticated, listed, revoked; and the bootstrap admin key. Only a hash of
 * each secret is stored (see {@link ApiKeyFormat} for why SHA-256 suffices). Every query is
 * parameterised. Thread-safe.
 */
public final class ApiKeys {
  /** The last-used time of a key is written at most this often. */
  public static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
  /** The name of the bootstrap admin key. */
  public static final String BOOTSTRAP_NAME = "bootstrap";

  private static final String SELECT = "SELECT " + ApiKey.COLUMNS + " FROM api_keys";
  private static final String INSERT = "INSERT INTO api_keys (id, name, role, secret_hash, expires_at, created_by) "
      + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + ApiKey.COLUMNS;
  private static final String FOR_AUTHENTICATION =
      "SELECT " + ApiKey.COLUMNS + ", secret_hash, now() AS db_now FROM api_keys WHERE id = $1";
  private static final String TOUCH = "UPDATE api_keys SET last_used_at = now() WHERE id = $1 "
      + "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') RETURNING " + ApiKey.COLUMNS;
  private static final String REVOKE = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 "
      + "RETURNING " + ApiKey.COLUMNS;
  private static final String REVOKE_OTHER_BOOTSTRAP =
      "UPDATE api_keys SET revoked_at = now() WHERE bootstrap AND revoked_at IS NULL AND id <> $1";
  private static final String UPSERT_CONFIGURED_BOOTSTRAP = """
      INSERT INTO api_keys (id, name, role, secret_hash, bootstrap, created_by)
      VALUES ($1, 'bootstrap', 'admin', $2, true, 'config')
      ON CONFLICT (id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, role = 'admin', bootstrap = true
      WHERE api_keys.revoked_at IS NULL""";
  private static final String INSERT_GENERATED_BOOTSTRAP = """
      INSERT INTO api_keys (id, name, role, secret_hash, bootstrap, created_by)
      SELECT $1, 'bootstrap', 'admin', $2, true, 'system'
      WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE bootstrap)
      ON CONFLICT DO NOTHING RETURNING\s""" + ApiKey.COLUMNS;

  private final Pool pool;

  /** @param pool the store */
  public ApiKeys(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /**
   * Creates a key with a fresh 256-bit secret.
   *
   * @param name what it is for; not blank
   * @param role what it may do
   * @param expiresAt when it stops working; null for never; must be in the future
   * @param createdBy who creates it (an API key id, an admin username)
   * @return the stored key and its plaintext, which is not kept and cannot be shown again
   * @throws IllegalArgumentException (as the failure) for a blank name or an expiry in the past
   */
  public Future<IssuedApiKey> create(String name, ApiKeyRole role, Instant expiresAt, String createdBy) {
    return create(pool, name, role, expiresAt, createdBy);
  }

  /** As {@link #create(String, ApiKeyRole, Instant, String)}, through the client (a connection in a transaction, say). */
  public Future<IssuedApiKey> create(SqlClient client, String name, ApiKeyRole role, Instant expiresAt,
                                     String createdBy) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdBy, "createdBy");
    if (name == null || name.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("an API key needs a name"));
    }
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      return Future.failedFuture(new IllegalArgumentException("the expiry of an API key must be in the future"));
    }
    UUID id = UUID.randomUUID();
    String plaintext = ApiKeyFormat.generate(id);
    byte[] hash = ApiKeyFormat.hash(ApiKeyFormat.parse(plaintext).orElseThrow().secret());
    return client.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {id, name.strip(), role.id(), Buffer.buffer(hash),
            expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC), createdBy}))
        .map(rows -> new IssuedApiKey(single(rows), plaintext));
  }

  /**
   * Checks a presented key. Anything that is not a key (garbage, a wrong secret, an unknown id), a
   * revoked or an expired key gives null, never a failure that tells them apart. The secret is
   * compared in constant time. Records the use at most once a {@linkplain #LAST_USED_GRANULARITY minute}.
   *
   * @param presented what the client sent; may be null
   * @return the key, or null when it does not authenticate
   */
  public Future<ApiKey> authenticate(String presented) {
    Optional<ApiKeyFormat.Parts> parts = ApiKeyFormat.parse(presented);
    if (parts.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID id = parts.get().id();
    return pool.preparedQuery(FOR_AUTHENTICATION).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        ApiKeyFormat.matches(parts.get().secret(), new byte[32]);
        return Future.succeededFuture();
      }
      Row row = rows.iterator().next();
      ApiKey key = ApiKey.fromRow(row);
      Instant now = row.getOffsetDateTime("db_now").toInstant();
      if (!ApiKeyFormat.matches(parts.get().secret(), row.getBuffer("secret_hash").getBytes()) || !key.usableAt(now)) {
        return Future.succeededFuture();
      }
      if (key.lastUsedAt() != null && key.lastUsedAt().isAfter(now.minus(LAST_USED_GRANULARITY))) {
        return Future.succeededFuture(key);
      }
      return pool.preparedQuery(TOUCH).execute(Tuple.of(id))
          .map(touched -> touched.size() == 0 ? key : single(touched))
          .otherwise(key);
    });
  }

  /**
   * Revokes a key for good. Revoking a revoked key keeps its first revocation time.
   *
   * @return the revoked key, or null when no key has the id
   */
  public Future<ApiKey> revoke(UUID id) {
    return revoke(pool, id);
  }

  /** As {@link #revoke(UUID)}, through the client (a connection in a transaction, say). */
  public Future<ApiKey> revoke(SqlClient client, UUID id) {
    return client.preparedQuery(REVOKE).execute(Tuple.of(id)).map(ApiKeys::single);
  }

  /** @return the key with this id, or null */
  public Future<ApiKey> find(UUID id) {
    return pool.preparedQuery(SELECT + " WHERE id = $1").execute(Tuple.of(id)).map(ApiKeys::single);
  }

  /** @return every key, revoked and expired ones too, oldest first */
  public Future<List<ApiKey>> list() {
    return pool.query(SELECT + " ORDER BY created_at, id").execute().map(rows -> {
      List<ApiKey> keys = new ArrayList<>(rows.size());
      rows.forEach(row -> keys.add(ApiKey.fromRow(row)));
      return keys;
    });
  }

  /**
   * Makes sure there is a bootstrap admin key, at start.
   *
   * <p>With a configured key ({@code admin.bootstrapKey}), that key becomes the bootstrap admin key
   * (its secret updated if the configuration changed it); a bootstrap key of another id is revoked,
   * so replacing the configured key rotates it. A configured key that was revoked stays revoked:
   * configure a new one. Nothing is returned, the operator already has the key.
   *
   * <p>Without one (the embedded default), a key is generated the first time ever and returned, for
   * the server to print once; later starts, or concurrent starts of other processes, return empty.
   *
   * @param configured the configured key, if any
   * @return the generated key when one was generated now, else empty
   * @throws IllegalArgumentException (as the failure) when the configured key is not a well-formed key
   */
  public Future<Optional<IssuedApiKey>> ensureBootstrapKey(Optional<Secret> configured) {
    if (configured.isPresent()) {
      Optional<ApiKeyFormat.Parts> parts = ApiKeyFormat.parse(configured.get().reveal());
      if (parts.isEmpty()) {
        return Future.failedFuture(new IllegalArgumentException(
            "admin.bootstrapKey must look like agk_<32 hex digits>_<at least 32 base64url characters>"));
      }
      return pool.withTransaction(connection -> useConfigured(connection, parts.get()))
          .map(Optional.empty());
    }
    UUID id = UUID.randomUUID();
    String plaintext = ApiKeyFormat.generate(id);
    byte[] hash = ApiKeyFormat.hash(ApiKeyFormat.parse(plaintext).orElseThrow().secret());
    return pool.preparedQuery(INSERT_GENERATED_BOOTSTRAP)
        .execute(Tuple.of(id, Buffer.buffer(hash)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new IssuedApiKey(single(rows), plaintext)));
  }

  private static Future<Void> useConfigured(SqlConnection connection, ApiKeyFormat.Parts parts) {
    return connection.preparedQuery(REVOKE_OTHER_BOOTSTRAP).execute(Tuple.of(parts.id()))
        .compose(revoked -> connection.preparedQuery(UPSERT_CONFIGURED_BOOTSTRAP)
            .execute(Tuple.of(parts.id(), Buffer.buffer(ApiKeyFormat.hash(parts.secret())))))
        .mapEmpty();
  }

  private static ApiKey single(RowSet<Row> rows) {
    return rows.size() == 0 ? null : ApiKey.fromRow(rows.iterator().next());
  }
}
