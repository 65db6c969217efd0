package io.authgate.core.directory.groups;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import io.authgate.core.identity.Group;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Groups from the user entry's {@code memberOf}, named by each group DN's first RDN value. */
final class MemberOfGroups implements GroupResolver {
  static final String MEMBER_OF = "memberOf";

  @Override
  public List<String> userAttributes() {
    return List.of(MEMBER_OF);
  }

  @Override
  public Future<List<Group>> resolve(Entry user, String username, Searcher searcher) {
    String[] values = user.getAttributeValues(MEMBER_OF);
    if (values == null) {
      return Future.succeededFuture(List.of());
    }
    List<Group> groups = new ArrayList<>(values.length);
    for (String dn : values) {
      groups.add(new Group(firstRdnValue(dn), dn));
    }
    return Future.succeededFuture(List.copyOf(groups));
  }

  static String firstRdnValue(String dn) {
    try {
      String[] values = new DN(dn).getRDN().getAttributeValues();
      return values.length == 0 ? dn : values[0];
    } catch (LDAPException e) {
      return dn;
    }
  }
}
