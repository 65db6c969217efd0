package io.authgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private static Principal with(Group... groups) {
    return new Principal("u", "uid=u,dc=x", null, null, List.of(groups), "d");
  }

  private static final Group ADMINS = new Group("Admins", "cn=Admins,ou=groups,dc=x");
  private static final Group DEVS = new Group("developers", "cn=developers,ou=groups,dc=x");

  private static AccessPolicy policy(Map<String, Object> extra) {
    Map<String, Object> settings = new java.util.HashMap<>(Map.of("name", "d", "urls", List.of("ldap://x"),
        "baseDn", "dc=x"));
    settings.putAll(extra);
    return new AccessPolicy(ConfigLoader.directory(settings));
  }

  @Test
  void requiredGroupsMatchByNameOrDnIgnoringCase() {
    AccessPolicy byName = policy(Map.of("requiredGroups", List.of("admins")));
    assertThat(byName.admits(with(ADMINS))).isTrue();
    assertThat(byName.admits(with(DEVS))).isFalse();
    assertThat(byName.admits(with())).isFalse();
    AccessPolicy byDn = policy(Map.of("requiredGroups", List.of("CN=developers,OU=groups,DC=x", "other")));
    assertThat(byDn.admits(with(DEVS))).isTrue();
    assertThat(policy(Map.of()).admits(with())).isTrue();
  }

  @Test
  void rolesAreTheSortedUnionOfWhatEachGroupGrants() {
    AccessPolicy policy = policy(Map.of("roleMapping", Map.of("admins", List.of("admin", "user"),
        "cn=developers,ou=groups,dc=x", List.of("developer", "user"))));
    assertThat(policy.roles(with(ADMINS, DEVS))).containsExactly("admin", "developer", "user");
    assertThat(policy.roles(with())).isEmpty();
  }
}
