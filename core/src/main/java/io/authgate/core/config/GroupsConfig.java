package io.authgate.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a user's groups are read. Immutable.
 *
 * @param strategy where groups come from
 * @param searchBase the base of group searches; the directory base DN when empty
 * @param filter the group search filter; {@code {dn}} and {@code {username}} are replaced by the
 *     user's DN and login name, escaped
 * @param nameAttribute the attribute that names a group (its RDN value for {@code member-of})
 */
public record GroupsConfig(Strategy strategy, Optional<String> searchBase, String filter, String nameAttribute) {

  /** Where a user's groups come from. */
  public enum Strategy {
    /** The user entry's {@code memberOf} attribute (OpenLDAP memberof overlay, AD direct groups). */
    MEMBER_OF("member-of"),
    /** A search for groups that list the user: groupOfNames, groupOfUniqueNames, posixGroup. */
    SEARCH("search"),
    /** Active Directory nested groups through {@code LDAP_MATCHING_RULE_IN_CHAIN}. */
    IN_CHAIN("in-chain"),
    /** No groups. */
    NONE("none");

    private final String id;

    Strategy(String id) {
      this.id = id;
    }

    /** @return the name used in configuration */
    public String id() {
      return id;
    }

    static Optional<Strategy> byId(String id) {
      String wanted = id.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst();
    }
  }

  /** The default group search: the three standard group classes. */
  public static final String DEFAULT_SEARCH_FILTER =
      "(|(&(objectClass=groupOfNames)(member={dn}))"
          + "(&(objectClass=groupOfUniqueNames)(uniqueMember={dn}))"
          + "(&(objectClass=posixGroup)(memberUid={username})))";
  /** The Active Directory nested-group filter. */
  public static final String IN_CHAIN_FILTER = "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={dn}))";

  static GroupsConfig read(ConfigNode n, DirectoryKind kind) {
    Strategy fallback = kind == DirectoryKind.ACTIVE_DIRECTORY ? Strategy.IN_CHAIN : Strategy.SEARCH;
    Strategy strategy = n.parsed("strategy", s -> Strategy.byId(s).orElseThrow(
        () -> new IllegalArgumentException("must be one of member-of, search, in-chain, none, got \"" + s + "\"")))
        .orElse(fallback);
    String defaultFilter = strategy == Strategy.IN_CHAIN ? IN_CHAIN_FILTER : DEFAULT_SEARCH_FILTER;
    GroupsConfig config = new GroupsConfig(strategy, n.optionalString("searchBase"),
        n.string("filter", defaultFilter), n.string("nameAttribute", "cn"));
    n.parsed("filter", LdapSyntax::filterTemplate);
    n.parsed("searchBase", LdapSyntax::dn);
    n.rejectUnknownKeys();
    return config;
  }
}
