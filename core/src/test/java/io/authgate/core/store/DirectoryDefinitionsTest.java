package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.config.ConfigException;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.Secret;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DirectoryDefinitionsTest {

  @Test
  void aDefinitionReadsBackToTheSameDirectoryWithoutEverHoldingThePassword() {
    DirectoryConfig corp = ConfigLoader.directory(Map.ofEntries(Map.entry("name", "corp"),
        Map.entry("kind", "active-directory"), Map.entry("urls", List.of("ldaps://dc1.corp:636", "ldaps://dc2.corp:636")),
        Map.entry("baseDn", "DC=corp,DC=test"), Map.entry("bindDn", "CN=svc,DC=corp,DC=test"),
        Map.entry("bindPassword", "do-not-store-me"), Map.entry("emailDomains", List.of("corp.test")),
        Map.entry("userSearchBase", "OU=People,DC=corp,DC=test"), Map.entry("requiredGroups", List.of("staff")),
        Map.entry("roleMapping", Map.of("Domain Admins", List.of("admin"))),
        Map.entry("groups", Map.of("strategy", "member-of")), Map.entry("pool", Map.of("max", 7)),
        Map.entry("timeouts", Map.of("connect", "1500ms")), Map.entry("breaker", Map.of("openFor", "2m"))));

    JsonObject definition = DirectoryDefinitions.of(corp);
    assertThat(definition.encode()).doesNotContain("do-not-store-me");
    assertThat(definition.getJsonObject("timeouts").getString("connect")).isEqualTo("1500ms");
    assertThat(DirectoryDefinitions.read(definition, corp.bindPassword())).isEqualTo(corp);
    assertThat(DirectoryDefinitions.settings(corp).fieldNames()).doesNotContainAnyElementsOf(
        DirectoryDefinitions.COLUMN_KEYS).contains("userFilter", "groups", "pool");
  }

  @Test
  void aWrongKeyIsNamedFromTheDefinitionsRoot() {
    JsonObject definition = new JsonObject().put("name", "x").put("urls", new JsonArray().add("ldap://x"))
        .put("baseDn", "dc=x").put("pool", new JsonObject().put("max", 0));
    assertThatThrownBy(() -> DirectoryDefinitions.read(definition, Optional.empty()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("pool.max");
          assertThat(e.problem()).isEqualTo("must be between 1 and 1000, got 0");
        });
    JsonObject noPassword = definition.copy().put("pool", new JsonObject()).put("bindDn", "cn=svc,dc=x");
    assertThatThrownBy(() -> DirectoryDefinitions.read(noPassword, Optional.empty()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("bindPassword"));
    assertThat(DirectoryDefinitions.read(noPassword, Optional.of(Secret.of("pw"))).bindPassword())
        .contains(Secret.of("pw"));
  }
}
