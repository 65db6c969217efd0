package io.authgate.core.store;

import io.authgate.core.config.DirectoryConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * The {@code directories} table. Directories defined in configuration are recorded there at start
 * ({@code source = 'config'}), so the store knows every directory the gateway serves, with their
 * settings as {@link DirectoryDefinitions} writes them. Secrets are never written here by this class. Thread-safe.
 */
public final class DirectoryRecords {
  private static final String UPSERT = """
      INSERT INTO directories (name, kind, urls, base_dn, bind_dn, settings, email_domains, source)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'config')
      ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, urls = EXCLUDED.urls, base_dn = EXCLUDED.base_dn,
        bind_dn = EXCLUDED.bind_dn, settings = EXCLUDED.settings, email_domains = EXCLUDED.email_domains,
        source = 'config', bind_password_sealed = NULL, updated_at = now()
      """;

  private final Pool pool;

  /** @param pool the store */
  public DirectoryRecords(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records each configured directory, inserting or updating it by name. A configured directory
   * takes over an API-managed one of the same name (its stored password is dropped).
   */
  public Future<Void> recordConfigured(List<DirectoryConfig> directories) {
    List<Tuple> rows = directories.stream().map(DirectoryRecords::row).toList();
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(UPSERT).executeBatch(rows).mapEmpty();
  }

  private static Tuple row(DirectoryConfig d) {
    JsonObject settings = DirectoryDefinitions.settings(d);
    return Tuple.of(d.name(), d.kind().id(), d.urls().toArray(String[]::new), d.baseDn(), d.bindDn().orElse(null),
        settings, d.emailDomains().toArray(String[]::new));
  }
}
