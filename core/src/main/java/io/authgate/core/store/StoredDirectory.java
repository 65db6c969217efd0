package io.authgate.core.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code directories}, as the admin API shows it: the definition (columns and
 * {@code settings}), where it comes from, whether a bind password is stored, and the last health
 * check. Holds no password, sealed or not. Immutable.
 *
 * @param id the directory's id
 * @param name its realm name
 * @param source {@code config} (defined in configuration) or {@code api}
 * @param definition every setting, in the configuration file's keys; never a secret
 * @param bindPasswordSet whether a bind password is stored (API) or configured (configuration)
 * @param healthStatus {@code unknown}, {@code up} or {@code down}
 * @param healthCheckedAt when health was last checked; may be null
 * @param healthLatencyMs how long that check took; may be null
 * @param createdAt when the row was created
 * @param updatedAt when the row last changed
 */
public record StoredDirectory(UUID id, String name, String source, JsonObject definition, boolean bindPasswordSet,
                              String healthStatus, OffsetDateTime healthCheckedAt, Integer healthLatencyMs,
                              OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  /** {@code source} of a directory defined in configuration. */
  public static final String CONFIG = "config";
  /** {@code source} of a directory managed through the admin API. */
  public static final String API = "api";

  /** @return whether it is defined in configuration, so only configuration changes it */
  public boolean fromConfiguration() {
    return CONFIG.equals(source);
  }

  /** @return the email domains routed to it */
  public List<String> emailDomains() {
    JsonArray domains = definition.getJsonArray("emailDomains", new JsonArray());
    return domains.stream().map(String::valueOf).toList();
  }
}
