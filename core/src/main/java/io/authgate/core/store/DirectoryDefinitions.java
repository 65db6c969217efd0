package io.authgate.core.store;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.Secret;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A directory as a JSON definition in the configuration file's keys ({@code urls}, {@code userFilter},
 * {@code groups.strategy}, {@code pool.max}, ...), and back: the store keeps directories this way and
 * the admin API reads and writes them this way, so a directory from the API is checked and defaulted
 * exactly like one from the file. A definition never holds the bind password. Stateless.
 */
public final class DirectoryDefinitions {
  /** The keys kept in their own columns rather than in {@code settings}. */
  public static final List<String> COLUMN_KEYS = List.of("name", "kind", "urls", "baseDn", "bindDn", "emailDomains");
  /** The key of the bind password in a definition given to {@link #read}. */
  public static final String BIND_PASSWORD = "bindPassword";

  private DirectoryDefinitions() {
  }

  /** @return every setting of the directory, defaults filled in, without the bind password */
  public static JsonObject of(DirectoryConfig d) {
    JsonObject json = new JsonObject()
        .put("name", d.name())
        .put("kind", d.kind().id())
        .put("urls", new JsonArray(d.urls()))
        .put("startTls", d.startTls());
    d.caFile().ifPresent(f -> json.put("caFile", f.toString()));
    json.put("baseDn", d.baseDn());
    d.bindDn().ifPresent(dn -> json.put("bindDn", dn));
    d.userSearchBase().ifPresent(base -> json.put("userSearchBase", base));
    json.put("userFilter", d.userFilter());
    d.userDnTemplate().ifPresent(t -> json.put("userDnTemplate", t));
    json.put("attributes", new JsonObject().put("username", d.attributes().username())
        .put("email", d.attributes().email()).put("displayName", d.attributes().displayName()));
    JsonObject groups = new JsonObject().put("strategy", d.groups().strategy().id());
    d.groups().searchBase().ifPresent(base -> groups.put("searchBase", base));
    json.put("groups", groups.put("filter", d.groups().filter()).put("nameAttribute", d.groups().nameAttribute()));
    JsonObject roles = new JsonObject();
    d.roleMapping().forEach((group, granted) -> roles.put(group, new JsonArray(granted)));
    return json.put("requiredGroups", new JsonArray(d.requiredGroups()))
        .put("roleMapping", roles)
        .put("emailDomains", new JsonArray(d.emailDomains()))
        .put("pool", new JsonObject().put("max", d.pool().max()))
        .put("timeouts", new JsonObject().put("connect", millis(d.timeouts().connect()))
            .put("response", millis(d.timeouts().response())).put("poolWait", millis(d.timeouts().poolWait())))
        .put("breaker", new JsonObject().put("maxFailures", d.breaker().maxFailures())
            .put("openFor", millis(d.breaker().openFor())).put("callTimeout", millis(d.breaker().callTimeout())));
  }

  /** @return the part of the definition kept in the {@code settings} column */
  public static JsonObject settings(DirectoryConfig d) {
    JsonObject settings = of(d);
    COLUMN_KEYS.forEach(settings::remove);
    return settings;
  }

  /**
   * @param definition a definition in the configuration file's keys, without {@link #BIND_PASSWORD}
   * @param bindPassword the bind password, if any
   * @return the directory, checked and defaulted as configuration is
   * @throws io.authgate.core.config.ConfigException naming the first wrong key from the definition's root
   */
  public static DirectoryConfig read(JsonObject definition, Optional<Secret> bindPassword) {
    JsonObject copy = definition.copy();
    copy.remove(BIND_PASSWORD);
    bindPassword.ifPresent(p -> copy.put(BIND_PASSWORD, p.reveal()));
    return ConfigLoader.definedDirectory(copy.encode());
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }
}
