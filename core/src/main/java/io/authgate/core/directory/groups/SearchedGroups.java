package io.authgate.core.directory.groups;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.authgate.core.directory.FilterTemplate;
import io.authgate.core.identity.Group;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups found by a search for entries that list the user: groupOfNames {@code member},
 * groupOfUniqueNames {@code uniqueMember}, posixGroup {@code memberUid}, or Active Directory's
 * {@code member:1.2.840.113556.1.4.1941:} rule, which also returns nested groups.
 */
final class SearchedGroups implements GroupResolver {
  /** A user in more groups than this is a directory problem, not a login to slow down. */
  static final int MAX_GROUPS = 1000;

  private final String base;
  private final FilterTemplate filter;
  private final String nameAttribute;

  SearchedGroups(String base, String filterTemplate, String nameAttribute) {
    this.base = base;
    this.filter = new FilterTemplate(filterTemplate);
    this.nameAttribute = nameAttribute;
  }

  @Override
  public boolean searches() {
    return true;
  }

  @Override
  public List<String> userAttributes() {
    return List.of();
  }

  @Override
  public Future<List<Group>> resolve(Entry user, String username, Searcher searcher) {
    SearchRequest request = new SearchRequest(base, SearchScope.SUB,
        filter.fill(Map.of("dn", user.getDN(), "username", username)), nameAttribute);
    request.setSizeLimit(MAX_GROUPS);
    return searcher.search(request).map(entries -> {
      Map<String, Group> groups = new LinkedHashMap<>();
      for (SearchResultEntry entry : entries) {
        String name = entry.getAttributeValue(nameAttribute);
        groups.putIfAbsent(entry.getDN().toLowerCase(java.util.Locale.ROOT),
            new Group(name != null ? name : MemberOfGroups.firstRdnValue(entry.getDN()), entry.getDN()));
      }
      return List.copyOf(groups.values());
    });
  }
}
