package io.authgate.core.idps;

import io.authgate.core.config.IdpConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code identity_providers} table: those defined in configuration, recorded at start
 * ({@code source = 'config'}), and those managed through the admin API ({@code source = 'api'}),
 * which the gateways add to their configured ones. Every query is parameterised. Thread-safe.
 */
public final class IdentityProviders {
  private static final String COLUMNS = """
      id, slug, display_name, entity_id, metadata_source, metadata_location, metadata_xml,
      EXTRACT(EPOCH FROM metadata_refresh)::bigint AS refresh_seconds, metadata_fetched_at, settings, enabled,
      source, created_at, updated_at""";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM identity_providers ";
  private static final String INSERT = "INSERT INTO identity_providers (slug, display_name, entity_id, metadata_source,"
      + " metadata_location, metadata_xml, metadata_refresh, metadata_fetched_at, settings, enabled, source)"
      + " VALUES ($1, $2, $3, $4, $5, $6, make_interval(secs => $7), now(), $8, $9, 'api') RETURNING " + COLUMNS;
  private static final String UPDATE = "UPDATE identity_providers SET display_name = $2, settings = $3, enabled = $4,"
      + " metadata_refresh = make_interval(secs => $5), updated_at = now() WHERE id = $1 RETURNING " + COLUMNS;
  private static final String METADATA = "UPDATE identity_providers SET metadata_source = $2, metadata_location = $3,"
      + " metadata_xml = $4, entity_id = $5, metadata_fetched_at = now(), updated_at = now() WHERE id = $1 RETURNING "
      + COLUMNS;
  private static final String RECORD_CONFIGURED = """
      INSERT INTO identity_providers (slug, display_name, metadata_source, metadata_location, metadata_xml,
        metadata_refresh, settings, source)
      VALUES ($1, $2, $3, $4, $5, make_interval(secs => $6), $7, 'config')
      ON CONFLICT (slug) DO UPDATE SET display_name = EXCLUDED.display_name, metadata_source = EXCLUDED.metadata_source,
        metadata_location = EXCLUDED.metadata_location, metadata_xml = EXCLUDED.metadata_xml,
        metadata_refresh = EXCLUDED.metadata_refresh, settings = EXCLUDED.settings, enabled = true,
        source = 'config', updated_at = now()
      WHERE identity_providers.source = 'config'""";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  /** @param pool the store */
  public IdentityProviders(Pool pool) {
    this.pool = pool;
  }

  /**
   * What a new API-managed identity provider is made of. Immutable.
   *
   * @param slug its short name
   * @param displayName the login button's label
   * @param entityId its entity ID, as its metadata says
   * @param metadataSource {@link IdpRecord#INLINE} or {@link IdpRecord#URL}
   * @param metadataUrl the metadata URL, or null for inline metadata
   * @param metadataXml the metadata (inline, or the copy just fetched from the URL)
   * @param metadataRefresh how often URL metadata is fetched again
   * @param settings mapping, provisioning and signing settings
   * @param enabled whether the gateways offer it
   */
  public record NewIdp(String slug, String displayName, String entityId, String metadataSource, String metadataUrl,
                       String metadataXml, Duration metadataRefresh, IdpSettings settings, boolean enabled) {}

  /** @return every identity provider, by slug */
  public Future<List<IdpRecord>> list() {
    return pool.query(SELECT + "ORDER BY slug").execute().map(IdentityProviders::records);
  }

  /** @return the enabled API-managed identity providers as the gateways configure them, by slug */
  public Future<List<IdpConfig>> managedConfigs() {
    return pool.query(SELECT + "WHERE source = 'api' AND enabled ORDER BY slug").execute()
        .map(rows -> records(rows).stream().map(IdpRecord::toConfig).toList());
  }

  /** @return the identity provider with this id or slug, or null */
  public Future<IdpRecord> find(String idOrSlug) {
    return find(pool, idOrSlug);
  }

  /**
   * @param client the pool or a transaction's connection
   * @param idOrSlug the row's id, or its slug
   * @return the identity provider, or null
   */
  public Future<IdpRecord> find(SqlClient client, String idOrSlug) {
    UUID id = uuid(idOrSlug);
    Future<RowSet<Row>> rows = id != null
        ? client.preparedQuery(SELECT + "WHERE id = $1").execute(Tuple.of(id))
        : client.preparedQuery(SELECT + "WHERE slug = $1").execute(Tuple.of(idOrSlug));
    return rows.map(IdentityProviders::first);
  }

  /** @return the identity provider created; failed with {@link IdpException} on a taken slug or entity ID */
  public Future<IdpRecord> create(SqlClient client, NewIdp idp) {
    Tuple row = Tuple.from(new Object[] {idp.slug(), idp.displayName(), idp.entityId(), idp.metadataSource(),
        idp.metadataUrl(), idp.metadataXml(), idp.metadataRefresh().toSeconds(), idp.settings().toJson(),
        idp.enabled()});
    return client.preparedQuery(INSERT).execute(row).map(IdentityProviders::first).recover(IdentityProviders::refused);
  }

  /** @return the identity provider with its name, settings, state and refresh interval replaced; null when gone */
  public Future<IdpRecord> update(SqlClient client, UUID id, String displayName, IdpSettings settings, boolean enabled,
                                  Duration metadataRefresh) {
    return client.preparedQuery(UPDATE)
        .execute(Tuple.of(id, displayName, settings.toJson(), enabled, metadataRefresh.toSeconds()))
        .map(IdentityProviders::first);
  }

  /**
   * @param url the metadata URL when {@code source} is {@link IdpRecord#URL}, else null
   * @return the identity provider with its metadata replaced; failed with {@link IdpException} when
   *     another has the entity ID
   */
  public Future<IdpRecord> replaceMetadata(SqlClient client, UUID id, String source, String url, String xml,
                                           String entityId) {
    return client.preparedQuery(METADATA).execute(Tuple.of(id, source, url, xml, entityId))
        .map(IdentityProviders::first).recover(IdentityProviders::refused);
  }

  /** @return whether a row was deleted */
  public Future<Boolean> delete(SqlClient client, UUID id) {
    return client.preparedQuery("DELETE FROM identity_providers WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Records the identity providers of configuration ({@code source = 'config'}) and forgets the
   * configuration rows of those no longer configured. An API-managed row with a configured slug is
   * left alone (the configured one then wins on the gateways).
   */
  public Future<Void> recordConfigured(List<IdpConfig> idps) {
    List<Tuple> rows = new ArrayList<>();
    for (IdpConfig idp : idps) {
      String source = idp.metadataUrl().isPresent() ? IdpRecord.URL
          : idp.metadataFile().isPresent() ? IdpRecord.FILE : IdpRecord.INLINE;
      String location = idp.metadataUrl().map(Object::toString)
          .orElse(idp.metadataFile().map(Object::toString).orElse(null));
      IdpSettings settings = new IdpSettings(idp.attributes(), idp.jit(), idp.matchByEmail(), idp.defaultRoles(),
          idp.allowIdpInitiated(), idp.signAuthnRequests());
      rows.add(Tuple.from(new Object[] {idp.id(), idp.displayName(), source, location, idp.metadataXml().orElse(null),
          idp.metadataRefresh().toSeconds(), settings.toJson()}));
    }
    String[] slugs = idps.stream().map(IdpConfig::id).toArray(String[]::new);
    Future<Void> forget = pool.preparedQuery("DELETE FROM identity_providers WHERE source = 'config' AND slug <> ALL($1)")
        .execute(Tuple.of(slugs)).mapEmpty();
    return rows.isEmpty() ? forget : forget.compose(v -> pool.preparedQuery(RECORD_CONFIGURED).executeBatch(rows))
        .mapEmpty();
  }

  private static <T> Future<T> refused(Throwable failure) {
    if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      String constraint = pg.getConstraint() == null ? "" : pg.getConstraint();
      return Future.failedFuture(constraint.contains("entity_id")
          ? new IdpException(IdpException.Reason.ENTITY_ID_TAKEN, "another identity provider has this entity ID")
          : new IdpException(IdpException.Reason.SLUG_TAKEN, "another identity provider has this slug"));
    }
    return Future.failedFuture(failure);
  }

  private static UUID uuid(String text) {
    try {
      return text.length() == 36 ? UUID.fromString(text) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static IdpRecord first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? record(rows.iterator().next()) : null;
  }

  private static List<IdpRecord> records(RowSet<Row> rows) {
    List<IdpRecord> all = new ArrayList<>();
    rows.forEach(row -> all.add(record(row)));
    return all;
  }

  private static IdpRecord record(Row row) {
    Long refresh = row.getLong("refresh_seconds");
    JsonObject settings = row.getJsonObject("settings");
    return new IdpRecord(row.getUUID("id"), row.getString("slug"), row.getString("display_name"),
        row.getString("entity_id"), row.getString("metadata_source"), row.getString("metadata_location"),
        row.getString("metadata_xml"), refresh == null ? null : Duration.ofSeconds(refresh),
        instant(row.getOffsetDateTime("metadata_fetched_at")),
        IdpSettings.fromJson(settings == null ? new JsonObject() : settings, IdpSettings.defaults()),
        row.getBoolean("enabled"), row.getString("source"), instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
