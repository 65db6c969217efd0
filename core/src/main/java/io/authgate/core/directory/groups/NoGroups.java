package io.authgate.core.directory.groups;

import com.unboundid.ldap.sdk.Entry;
import io.authgate.core.identity.Group;
import io.vertx.core.Future;
import java.util.List;

/** No groups: for directories where membership does not matter. */
final class NoGroups implements GroupResolver {
  @Override
  public List<String> userAttributes() {
    return List.of();
  }

  @Override
  public Future<List<Group>> resolve(Entry user, String username, Searcher searcher) {
    return Future.succeededFuture(List.of());
  }
}
