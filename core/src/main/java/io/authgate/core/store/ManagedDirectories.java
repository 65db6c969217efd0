package io.authgate.core.store;

import io.authgate.core.config.ConfigException;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.Secret;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.crypto.SecretBoxException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories of the store as the admin API manages them: every directory is listed and read;
 * those of {@code source = 'api'} are created, replaced and deleted here, their bind password sealed
 * with the {@link SecretBox} (purpose {@code directories.bind_password:<id>}) and opened only when a
 * gateway builds the directory ({@link #loadManaged}). Thread-safe.
 */
public final class ManagedDirectories {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedDirectories.class);
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private static final String COLUMNS = "id, name, kind, urls, base_dn, bind_dn, settings, email_domains, source, "
      + "bind_password_sealed, health_status, health_checked_at, health_latency_ms, created_at, updated_at";
  private static final String INSERT = "INSERT INTO directories (id, name, kind, urls, base_dn, bind_dn, settings, "
      + "email_domains, source, bind_password_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'api', $9) RETURNING "
      + COLUMNS;
  private static final String REPLACE = "UPDATE directories SET name = $2, kind = $3, urls = $4, base_dn = $5, "
      + "bind_dn = $6, settings = $7, email_domains = $8, bind_password_sealed = $9, updated_at = now() "
      + "WHERE id = $1 AND source = 'api' RETURNING " + COLUMNS;

  private final Pool pool;
  /** Without a master key, no bind password is sealed or opened. */
  public static final String NO_MASTER_KEY = "store.masterKey is not configured: bind passwords cannot be sealed "
      + "or opened";

  private final Optional<SecretBox> box;

  /**
   * @param pool the store
   * @param box seals and opens bind passwords; empty when no master key is configured for an external store
   */
  public ManagedDirectories(Pool pool, Optional<SecretBox> box) {
    this.pool = pool;
    this.box = box;
  }

  /** @return whether bind passwords can be sealed and opened (a master key is configured) */
  public boolean hasMasterKey() {
    return box.isPresent();
  }

  private SecretBox box() {
    return box.orElseThrow(() -> new SecretBoxException(NO_MASTER_KEY));
  }

  /** @return the purpose a directory's bind password is sealed for */
  public static String purpose(UUID id) {
    return "directories.bind_password:" + id;
  }

  /** @return every directory, by name */
  public Future<List<StoredDirectory>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM directories ORDER BY name").execute()
        .map(rows -> {
          List<StoredDirectory> all = new ArrayList<>();
          rows.forEach(row -> all.add(stored(row)));
          return all;
        });
  }

  /** @return the directory, or null when none has the id */
  public Future<StoredDirectory> find(UUID id) {
    return find(pool, id, false);
  }

  /**
   * @param client the pool, or a transaction's connection
   * @param lock whether to lock the row until the transaction ends
   * @return the directory, or null when none has the id
   */
  public Future<StoredDirectory> find(SqlClient client, UUID id, boolean lock) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM directories WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().hasNext() ? stored(rows.iterator().next()) : null);
  }

  /** @see #bindPassword(SqlClient, UUID) */
  public Future<Optional<Secret>> bindPassword(UUID id) {
    return bindPassword(pool, id);
  }

  /**
   * @return the stored bind password of an API directory, opened; empty when it has none
   * @throws SecretBoxException when it cannot be opened (another master key, altered)
   */
  public Future<Optional<Secret>> bindPassword(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT bind_password_sealed FROM directories WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> {
          String sealed = rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
          return sealed == null ? Optional.empty() : Optional.of(Secret.of(box().open(sealed, purpose(id))));
        });
  }

  /**
   * Creates an API directory.
   *
   * @return the directory as stored
   * @throws DirectoryException ({@code NAME_TAKEN}) when another directory has the name
   */
  public Future<StoredDirectory> create(SqlConnection connection, UUID id, DirectoryConfig config) {
    return connection.preparedQuery(INSERT).execute(row(id, config))
        .map(rows -> stored(rows.iterator().next()))
        .recover(e -> Future.failedFuture(translate(e, config.name())));
  }

  /**
   * Replaces the definition and bind password of an API directory.
   *
   * @return the directory as stored, or null when no API directory has the id
   * @throws DirectoryException ({@code NAME_TAKEN}) when another directory has the new name
   */
  public Future<StoredDirectory> replace(SqlConnection connection, UUID id, DirectoryConfig config) {
    return connection.preparedQuery(REPLACE).execute(row(id, config))
        .map(rows -> rows.iterator().hasNext() ? stored(rows.iterator().next()) : null)
        .recover(e -> Future.failedFuture(translate(e, config.name())));
  }

  /**
   * Deletes an API directory.
   *
   * @return whether an API directory had the id
   * @throws DirectoryException ({@code IN_USE}) when accounts still belong to it
   */
  public Future<Boolean> delete(SqlConnection connection, UUID id) {
    return connection.preparedQuery("DELETE FROM directories WHERE id = $1 AND source = 'api'").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0)
        .recover(e -> Future.failedFuture(translate(e, id.toString())));
  }

  /** @return every email domain routed to a directory other than {@code except}, to that directory's name */
  public Future<Map<String, String>> domainOwners(SqlClient client, UUID except) {
    return client.preparedQuery("SELECT d.name, domain FROM directories d, unnest(d.email_domains) AS domain "
            + "WHERE d.id <> $1").execute(Tuple.of(except))
        .map(rows -> {
          Map<String, String> owners = new HashMap<>();
          rows.forEach(row -> owners.put(row.getString(1), row.getString(0)));
          return owners;
        });
  }

  /** @return how many accounts belong to the directory */
  public Future<Long> accounts(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT count(*) FROM users WHERE directory_id = $1").execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Stores the outcome of a health check.
   *
   * @param latencyMs how long the check took
   */
  public Future<Void> recordHealth(UUID id, boolean up, long latencyMs) {
    return pool.preparedQuery("UPDATE directories SET health_status = $2, health_checked_at = now(), "
            + "health_latency_ms = $3 WHERE id = $1")
        .execute(Tuple.of(id, up ? "up" : "down", (int) Math.min(Integer.MAX_VALUE, latencyMs))).mapEmpty();
  }

  /**
   * Reads every API directory with its bind password opened, for a gateway to build. A directory
   * whose password cannot be opened (another master key) or whose definition no longer reads is
   * left out and logged, so one bad row does not take the others down.
   *
   * @return the API directories, by name
   */
  public Future<List<DirectoryConfig>> loadManaged() {
    return pool.query("SELECT " + COLUMNS + " FROM directories WHERE source = 'api' ORDER BY name").execute()
        .map(rows -> {
          List<DirectoryConfig> configs = new ArrayList<>();
          for (Row row : rows) {
            StoredDirectory stored = stored(row);
            try {
              String sealed = row.getString("bind_password_sealed");
              Optional<Secret> password = sealed == null ? Optional.empty()
                  : Optional.of(Secret.of(box().open(sealed, purpose(stored.id()))));
              configs.add(DirectoryDefinitions.read(stored.definition(), password));
            } catch (SecretBoxException | ConfigException e) {
              LOG.atError().addKeyValue("event", "directory.unusable").addKeyValue("directory", stored.name())
                  .log("directory {} is left out: {}", stored.name(), e.getMessage());
            }
          }
          return configs;
        });
  }

  private Tuple row(UUID id, DirectoryConfig config) {
    String sealed = config.bindPassword().map(p -> box().seal(p.reveal(), purpose(id))).orElse(null);
    return Tuple.from(new Object[] {id, config.name(), config.kind().id(), config.urls().toArray(String[]::new),
        config.baseDn(), config.bindDn().orElse(null), DirectoryDefinitions.settings(config),
        config.emailDomains().toArray(String[]::new), sealed});
  }

  private static StoredDirectory stored(Row row) {
    JsonObject definition = new JsonObject()
        .put("name", row.getString("name"))
        .put("kind", row.getString("kind"))
        .put("urls", new JsonArray(List.of(row.getArrayOfStrings("urls"))))
        .put("baseDn", row.getString("base_dn"));
    if (row.getString("bind_dn") != null) {
      definition.put("bindDn", row.getString("bind_dn"));
    }
    definition.put("emailDomains", new JsonArray(List.of(row.getArrayOfStrings("email_domains"))));
    JsonObject settings = (JsonObject) row.getValue("settings");
    if (settings != null) {
      settings.forEach(e -> {
        if (!DirectoryDefinitions.COLUMN_KEYS.contains(e.getKey())) {
          definition.put(e.getKey(), e.getValue());
        }
      });
    }
    String source = row.getString("source");
    boolean passwordSet = StoredDirectory.CONFIG.equals(source) ? row.getString("bind_dn") != null
        : row.getString("bind_password_sealed") != null;
    return new StoredDirectory(row.getUUID("id"), row.getString("name"), source, definition, passwordSet,
        row.getString("health_status"), row.getOffsetDateTime("health_checked_at"),
        row.getInteger("health_latency_ms"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  private static Throwable translate(Throwable e, String name) {
    if (e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      return new DirectoryException(DirectoryException.Reason.NAME_TAKEN, "a directory is already named " + name);
    }
    if (e instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState())) {
      return new DirectoryException(DirectoryException.Reason.IN_USE, "accounts still belong to the directory");
    }
    return e;
  }
}
