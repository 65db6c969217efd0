package io.authgate.core.idps;

import io.authgate.core.config.IdpConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code identity_providers}. Immutable.
 *
 * @param id the row's id
 * @param slug the short name used in URLs ({@code /saml/{slug}/login}), the {@link IdpConfig#id()}
 * @param displayName the login button's label
 * @param entityId the IdP's entity ID once its metadata was read; may be null
 * @param metadataSource {@code inline}, {@code url} or {@code file}
 * @param metadataLocation the URL or file of the metadata; null for inline metadata
 * @param metadataXml the inline metadata, or the last good copy fetched from the URL; may be null
 * @param metadataRefresh how often URL metadata is fetched again
 * @param metadataFetchedAt when the metadata was last read; may be null
 * @param settings mapping, provisioning and signing settings
 * @param enabled whether the gateways offer it
 * @param source {@code config} (read-only through the API) or {@code api}
 * @param createdAt when the row was created
 * @param updatedAt when it last changed
 */
public record IdpRecord(UUID id, String slug, String displayName, String entityId, String metadataSource,
                        String metadataLocation, String metadataXml, Duration metadataRefresh,
                        Instant metadataFetchedAt, IdpSettings settings, boolean enabled, String source,
                        Instant createdAt, Instant updatedAt) {
  /** Metadata held in the row. */
  public static final String INLINE = "inline";
  /** Metadata fetched from a URL. */
  public static final String URL = "url";
  /** Metadata read from a file (configuration only). */
  public static final String FILE = "file";
  /** Defined in configuration. */
  public static final String FROM_CONFIG = "config";
  /** Created through the admin API. */
  public static final String FROM_API = "api";

  /** @return whether it was created through the admin API, and may be changed through it */
  public boolean managedByApi() {
    return FROM_API.equals(source);
  }

  /**
   * @return the configuration the gateways build this IdP from: URL metadata is fetched (and
   *     refreshed) by each gateway, inline metadata is used as stored
   */
  public IdpConfig toConfig() {
    Optional<URI> url = URL.equals(metadataSource) ? Optional.of(URI.create(metadataLocation)) : Optional.empty();
    Optional<Path> file = FILE.equals(metadataSource) ? Optional.of(Path.of(metadataLocation)) : Optional.empty();
    Optional<String> xml = url.isEmpty() && file.isEmpty() ? Optional.ofNullable(metadataXml) : Optional.empty();
    Duration refresh = metadataRefresh == null ? IdpConfig.DEFAULT_METADATA_REFRESH : metadataRefresh;
    return new IdpConfig(slug, displayName, file, xml, url, refresh, settings.attributes(), settings.jit(),
        settings.matchByEmail(), settings.defaultRoles(), settings.allowIdpInitiated(), settings.signAuthnRequests());
  }

  /** @return the row as the admin API shows it (and as the audit trail records it): no metadata document */
  public JsonObject toJson() {
    JsonObject metadata = new JsonObject().put("source", metadataSource)
        .put("url", URL.equals(metadataSource) ? metadataLocation : null)
        .put("refreshSeconds", URL.equals(metadataSource) && metadataRefresh != null ? metadataRefresh.toSeconds() : null)
        .put("fetchedAt", metadataFetchedAt == null ? null : metadataFetchedAt.toString());
    return new JsonObject().put("id", id.toString()).put("slug", slug).put("displayName", displayName)
        .put("entityId", entityId).put("source", source).put("enabled", enabled).put("metadata", metadata)
        .mergeIn(settings.toJson())
        .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
  }
}
