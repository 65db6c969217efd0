package io.authgate.gateway.auth;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A directory's policy for its users: the groups one of which is required, and the roles each
 * group grants. Groups are matched by name or DN, ignoring case. Immutable and thread-safe.
 */
final class AccessPolicy {
  private final Set<String> required;
  private final Map<String, List<String>> roles;

  AccessPolicy(DirectoryConfig config) {
    this.required = config.requiredGroups().stream().map(AccessPolicy::normal).collect(Collectors.toUnmodifiableSet());
    this.roles = config.roleMapping().entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(e -> normal(e.getKey()), Map.Entry::getValue));
  }

  /** @return whether the user is in a required group, or none is required */
  boolean admits(Principal principal) {
    return required.isEmpty() || principal.groups().stream().anyMatch(g -> required.contains(normal(g.name()))
        || required.contains(normal(g.dn())));
  }

  /** @return the roles the user's groups grant, sorted, without duplicates */
  List<String> roles(Principal principal) {
    if (roles.isEmpty()) {
      return List.of();
    }
    Set<String> granted = new TreeSet<>();
    for (Group g : principal.groups()) {
      granted.addAll(roles.getOrDefault(normal(g.name()), List.of()));
      granted.addAll(roles.getOrDefault(normal(g.dn()), List.of()));
    }
    return List.copyOf(granted);
  }

  private static String normal(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
