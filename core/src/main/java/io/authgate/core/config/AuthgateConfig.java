package io.authgate.core.config;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration, parsed once at start by {@link ConfigLoader}. Immutable.
 *
 * @param roles the roles this process plays
 * @param http the HTTP listeners
 * @param directories the LDAP directories; empty means the embedded demo directory
 * @param defaultDirectory the directory used when neither realm nor email domain picks one
 * @param cache the credential cache
 * @param regulation brute-force regulation
 * @param postgres the durable store; no URL means embedded PostgreSQL
 * @param redis the shared fast store; no URL means in-process only
 * @param embedded where the embedded default keeps its data
 * @param session sessions and their cookie
 * @param portal the login page and where it may redirect
 * @param access who may reach what behind the proxies
 * @param headers the identity headers of a successful verify
 * @param saml the SAML 2.0 service provider and its identity providers
 * @param store secrets at rest in the store (the master key)
 * @param admin the admin API (the bootstrap key)
 * @param sync the sync-worker role: job runners and periodic jobs
 */
public record AuthgateConfig(Set<Role> roles, HttpConfig http, List<DirectoryConfig> directories,
                             Optional<String> defaultDirectory, CacheConfig cache,
                             RegulationConfig regulation, PostgresConfig postgres, RedisConfig redis,
                             EmbeddedConfig embedded, SessionConfig session, PortalConfig portal,
                             AccessConfig access, HeadersConfig headers, SamlConfig saml,
                             StoreConfig store, AdminConfig admin, SyncConfig sync) {

  /** Copies collections so the record stays immutable. */
  public AuthgateConfig {
    roles = Set.copyOf(roles);
    directories = List.copyOf(directories);
  }

  static AuthgateConfig read(ConfigNode root) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String id : root.strings("roles", List.of("gateway", "sync-worker", "admin-api"))) {
      roles.add(Role.byId(id).orElseThrow(() -> root.problem("roles",
          "unknown role \"" + id + "\"; roles are gateway, sync-worker, admin-api")));
    }
    if (roles.isEmpty()) {
      throw root.problem("roles", "must name at least one role");
    }
    List<ConfigNode> items = root.children("directories");
    List<DirectoryConfig> directories = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      directories.add(DirectoryConfig.read(items.get(i), i));
    }
    checkDirectories(root, directories);
    Optional<String> defaultDirectory = root.optionalString("defaultDirectory");
    defaultDirectory.ifPresent(d -> {
      if (directories.stream().noneMatch(c -> c.name().equals(d))) {
        throw root.problem("defaultDirectory", "names no directory: \"" + d + "\"");
      }
    });
    AuthgateConfig config = new AuthgateConfig(roles, HttpConfig.read(root.child("http")), directories,
        defaultDirectory, CacheConfig.read(root.child("cache")),
        RegulationConfig.read(root.child("regulation")), PostgresConfig.read(root.child("postgres")),
        RedisConfig.read(root.child("redis")), EmbeddedConfig.read(root.child("embedded")),
        SessionConfig.read(root.child("session")), PortalConfig.read(root.child("portal")),
        AccessConfig.read(root.child("access")), HeadersConfig.read(root.child("headers")),
        SamlConfig.read(root.child("saml")), StoreConfig.read(root.child("store")),
        AdminConfig.read(root.child("admin")), SyncConfig.read(root.child("sync")));
    root.rejectUnknownKeys();
    return config;
  }

  private static void checkDirectories(ConfigNode root, List<DirectoryConfig> directories) {
    Set<String> names = new HashSet<>();
    Map<String, String> domainOwner = new HashMap<>();
    for (int i = 0; i < directories.size(); i++) {
      DirectoryConfig d = directories.get(i);
      if (!names.add(d.name())) {
        throw new ConfigException("directories[" + i + "].name", "\"" + d.name() + "\" is used twice");
      }
      for (String domain : d.emailDomains()) {
        String other = domainOwner.putIfAbsent(domain, d.name());
        if (other != null) {
          throw new ConfigException("directories[" + i + "].emailDomains",
              "\"" + domain + "\" is already routed to directory \"" + other + "\"");
        }
      }
    }
  }

  /** @return whether no directory is configured, so the embedded demo directory is used */
  public boolean usesEmbeddedDirectory() {
    return directories.isEmpty();
  }

  /** @return a copy with these directories, as the server does for the embedded one */
  public AuthgateConfig withDirectories(List<DirectoryConfig> replacement) {
    return new AuthgateConfig(roles, http, replacement, defaultDirectory, cache, regulation, postgres,
        redis, embedded, session, portal, access, headers, saml, store, admin, sync);
  }

  /** @return a copy with these roles */
  public AuthgateConfig withRoles(Set<Role> replacement) {
    return new AuthgateConfig(replacement, http, directories, defaultDirectory, cache, regulation,
        postgres, redis, embedded, session, portal, access, headers, saml, store, admin, sync);
  }

  /** @return a copy with these session settings, as the embedded default does for plain HTTP */
  public AuthgateConfig withSession(SessionConfig replacement) {
    return new AuthgateConfig(roles, http, directories, defaultDirectory, cache, regulation, postgres, redis,
        embedded, replacement, portal, access, headers, saml, store, admin, sync);
  }

  /** @return the SP's public base URL for ACS, SLO and metadata, resolved from saml, portal and http */
  public java.net.URI samlBaseUrl() {
    return saml.publicBaseUrl(portal, http);
  }

  /** @return the name of the directory used when nothing else picks one */
  public String defaultDirectoryName() {
    return defaultDirectory.orElseGet(() -> directories.isEmpty() ? "" : directories.get(0).name());
  }
}
