package io.authgate.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One LDAP directory (a realm): where it is, how users are found and bound, how groups are read,
 * and the policy applied to its users. Immutable.
 *
 * @param name the realm name clients may ask for; lower case
 * @param kind the directory vendor, which sets defaults and quirks
 * @param urls {@code ldap://} or {@code ldaps://} URLs, tried in order (failover)
 * @param startTls whether to upgrade plain connections with StartTLS
 * @param caFile PEM file of the CAs trusted for TLS; the JVM's trust store when empty
 * @param baseDn the base of user (and by default group) searches
 * @param bindDn the service account that searches; anonymous search when empty
 * @param bindPassword the service account's password
 * @param userSearchBase where users are searched; {@code baseDn} when empty
 * @param userFilter the user search filter with a {@code {username}} placeholder
 * @param userDnTemplate binds straight to this DN ({@code {username}} replaced) instead of searching
 * @param attributes the attributes read from a user entry
 * @param groups how groups are read
 * @param requiredGroups a user must be in at least one of these (name or DN) when not empty
 * @param roleMapping group name or DN to the roles it grants
 * @param emailDomains email domains and UPN suffixes routed to this directory
 * @param pool connection pool size
 * @param timeouts network timeouts
 * @param breaker the circuit breaker in front of this directory
 * @param provisioning whether and how accounts of the store are written to this directory
 */
public record DirectoryConfig(String name, DirectoryKind kind, List<String> urls, boolean startTls,
                              Optional<Path> caFile, String baseDn, Optional<String> bindDn,
                              Optional<Secret> bindPassword, Optional<String> userSearchBase,
                              String userFilter, Optional<String> userDnTemplate, Attributes attributes,
                              GroupsConfig groups, List<String> requiredGroups,
                              Map<String, List<String>> roleMapping, List<String> emailDomains, Pool pool,
                              Timeouts timeouts, Breaker breaker, ProvisioningConfig provisioning) {

  /** The user attributes read from an entry. */
  public record Attributes(String username, String email, String displayName) {}

  /**
   * Connection pool size: the most bind connections per process, shared out between the event
   * loops (searches share one multiplexed connection per event loop).
   */
  public record Pool(int max) {}

  /** Network timeouts: opening a connection, one operation, waiting for a pooled connection. */
  public record Timeouts(Duration connect, Duration response, Duration poolWait) {}

  /** The breaker opens after {@code maxFailures} consecutive failures and stays open {@code openFor}. */
  public record Breaker(int maxFailures, Duration openFor, Duration callTimeout) {}

  /** OpenLDAP's default user filter: a uid or a mail address. */
  public static final String OPENLDAP_USER_FILTER = "(|(uid={username})(mail={username}))";
  /** Active Directory's default user filter: a sAMAccountName or a UPN. */
  public static final String AD_USER_FILTER =
      "(&(objectClass=user)(|(sAMAccountName={username})(userPrincipalName={username})))";

  static DirectoryConfig read(ConfigNode n, int index) {
    String name = n.string("name", index == 0 ? "default" : "").toLowerCase(Locale.ROOT);
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw n.problem("name", name.isEmpty() ? "is required when there is more than one directory"
          : "must be lower-case letters, digits, '-' or '_', got \"" + name + "\"");
    }
    DirectoryKind kind = n.parsed("kind", k -> DirectoryKind.byId(k).orElseThrow(() ->
        new IllegalArgumentException("must be openldap or active-directory, got \"" + k + "\"")))
        .orElse(DirectoryKind.OPENLDAP);
    boolean ad = kind == DirectoryKind.ACTIVE_DIRECTORY;

    List<String> urls = n.strings("urls", List.of());
    if (urls.isEmpty()) {
      throw n.problem("urls", "is required: one or more ldap:// or ldaps:// URLs");
    }
    for (String url : urls) {
      try {
        LdapSyntax.url(url);
      } catch (IllegalArgumentException e) {
        throw n.problem("urls", e.getMessage());
      }
    }
    boolean startTls = n.bool("startTls", false);
    if (startTls && urls.stream().anyMatch(u -> u.toLowerCase(Locale.ROOT).startsWith("ldaps:"))) {
      throw n.problem("startTls", "cannot be combined with ldaps:// URLs");
    }
    Optional<Path> caFile = n.parsed("caFile", Path::of);
    caFile.ifPresent(p -> {
      if (!Files.isReadable(p)) {
        throw n.problem("caFile", "cannot read " + p);
      }
    });
    String baseDn = n.parsed("baseDn", LdapSyntax::dn).orElseThrow(() -> n.problem("baseDn", "is required"));
    Optional<String> bindDn = n.parsed("bindDn", LdapSyntax::dn);
    Optional<Secret> bindPassword = n.secret("bindPassword");
    if (bindDn.isPresent() && bindPassword.isEmpty()) {
      throw n.problem("bindPassword", "is required when bindDn is set");
    }
    if (bindPassword.isPresent() && bindDn.isEmpty()) {
      throw n.problem("bindDn", "is required when bindPassword is set");
    }
    Optional<String> template = n.optionalString("userDnTemplate");
    template.ifPresent(t -> {
      if (!t.contains("{username}")) {
        throw n.problem("userDnTemplate", "must contain {username}");
      }
      n.parsed("userDnTemplate", v -> LdapSyntax.dn(v.replace("{username}", "x")));
    });
    String userFilter = n.string("userFilter", ad ? AD_USER_FILTER : OPENLDAP_USER_FILTER);
    if (!userFilter.contains("{username}")) {
      throw n.problem("userFilter", "must contain {username}");
    }
    n.parsed("userFilter", LdapSyntax::filterTemplate);

    ConfigNode attrs = n.child("attributes");
    Attributes attributes = new Attributes(attrs.string("username", ad ? "sAMAccountName" : "uid"),
        attrs.string("email", "mail"), attrs.string("displayName", "displayName"));
    attrs.rejectUnknownKeys();

    ConfigNode p = n.child("pool");
    Pool pool = new Pool(p.integer("max", 20, 1, 1000));
    p.rejectUnknownKeys();

    ConfigNode t = n.child("timeouts");
    Timeouts timeouts = new Timeouts(t.duration("connect", Duration.ofSeconds(5)),
        t.duration("response", Duration.ofSeconds(5)), t.duration("poolWait", Duration.ofSeconds(2)));
    t.rejectUnknownKeys();

    ConfigNode b = n.child("breaker");
    Breaker breaker = new Breaker(b.integer("maxFailures", 5, 1, 10_000),
        b.duration("openFor", Duration.ofSeconds(60)), b.duration("callTimeout", Duration.ofSeconds(10)));
    b.rejectUnknownKeys();

    DirectoryConfig config = new DirectoryConfig(name, kind, urls, startTls, caFile, baseDn, bindDn,
        bindPassword, n.parsed("userSearchBase", LdapSyntax::dn), userFilter, template, attributes,
        GroupsConfig.read(n.child("groups"), kind), n.strings("requiredGroups", List.of()),
        n.stringLists("roleMapping"),
        emailDomains(n), pool, timeouts, breaker, ProvisioningConfig.read(n.child("provisioning"), kind));
    n.rejectUnknownKeys();
    return config;
  }

  /**
   * A domain is matched against what follows the last {@code @} of a login name, so one written
   * with an {@code @} or a space would never match: refused at start, as the admin API refuses it.
   */
  private static List<String> emailDomains(ConfigNode n) {
    List<String> domains = n.strings("emailDomains", List.of()).stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    for (String domain : domains) {
      if (domain.indexOf('@') >= 0 || domain.chars().anyMatch(Character::isWhitespace)) {
        throw n.problem("emailDomains", "\"" + domain + "\" is not a domain: write it without \"@\" or spaces, as in "
            + "corp.example.com");
      }
    }
    return domains;
  }

  /** @return where users are searched */
  public String effectiveUserSearchBase() {
    return userSearchBase.orElse(baseDn);
  }
}
