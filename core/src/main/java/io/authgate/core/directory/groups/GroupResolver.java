package io.authgate.core.directory.groups;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.authgate.core.config.GroupsConfig;
import io.authgate.core.identity.Group;
import io.vertx.core.Future;
import java.util.List;

/**
 * Reads the groups of an authenticated user, without blocking (a search is a future).
 * Implementations are immutable and thread-safe.
 */
public interface GroupResolver {

  /** Runs a search on the directory; failed with an {@link LDAPException} when it cannot. */
  @FunctionalInterface
  interface Searcher {
    Future<List<SearchResultEntry>> search(SearchRequest request);
  }

  /** @return whether resolving runs an LDAP search (and so counts as an operation) */
  default boolean searches() {
    return false;
  }

  /** @return attributes the resolver needs on the user's entry */
  List<String> userAttributes();

  /**
   * @param user the user's entry, with {@link #userAttributes()} read
   * @param username the user's canonical login name (for {@code memberUid})
   * @param searcher searches the directory
   * @return the user's groups, without duplicates
   */
  Future<List<Group>> resolve(Entry user, String username, Searcher searcher);

  /**
   * @param config the groups configuration
   * @param baseDn the directory's base DN, the default group search base
   * @return the resolver for the configured strategy
   */
  static GroupResolver of(GroupsConfig config, String baseDn) {
    return switch (config.strategy()) {
      case MEMBER_OF -> new MemberOfGroups();
      case SEARCH, IN_CHAIN -> new SearchedGroups(config.searchBase().orElse(baseDn), config.filter(),
          config.nameAttribute());
      case NONE -> new NoGroups();
    };
  }
}
