package io.authgate.gateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.AccessConfig;
import io.authgate.core.config.AccessConfig.Policy;
import io.authgate.core.config.AccessConfig.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
  private final AccessRules rules = new AccessRules(new AccessConfig(Policy.AUTHENTICATED, List.of(
      new Rule(List.of("public.example.com"), List.of(), List.of(), Policy.BYPASS, List.of()),
      new Rule(List.of(), List.of("/health"), List.of("GET"), Policy.BYPASS, List.of()),
      new Rule(List.of("*.example.com"), List.of("/admin/**"), List.of(), Policy.AUTHENTICATED, List.of("admins")),
      new Rule(List.of(), List.of("/secret/**", "/files/*.key"), List.of(), Policy.DENY, List.of()))));

  private AccessRules.Match match(String host, String method, String path) {
    return rules.match(new OriginalRequest(method, "https", host, host, path));
  }

  @Test
  void theFirstMatchingRuleDecidesElseTheDefault() {
    assertThat(match("public.example.com", "POST", "/secret/x").policy()).isEqualTo(Policy.BYPASS);
    assertThat(match("app.example.com", "GET", "/health").policy()).isEqualTo(Policy.BYPASS);
    assertThat(match("app.example.com", "POST", "/health").policy()).isEqualTo(Policy.AUTHENTICATED);
    assertThat(match("app.example.com", "GET", "/admin").groups()).containsExactly("admins");
    assertThat(match("app.example.com", "GET", "/admin/users?x=1").groups()).containsExactly("admins");
    assertThat(match("example.com", "GET", "/admin/users").groups()).as("apex is no subdomain").isEmpty();
    assertThat(match("app.example.com", "GET", "/administrator").groups()).isEmpty();
    assertThat(match("x.test", "GET", "/files/a.key").policy()).isEqualTo(Policy.DENY);
    assertThat(match("x.test", "GET", "/files/sub/a.key").policy()).as("* stays in a segment")
        .isEqualTo(Policy.AUTHENTICATED);
    assertThat(match("x.test", "GET", "/anything").policy()).isEqualTo(Policy.AUTHENTICATED);
  }

  @Test
  void encodedAndDottedPathsMeetTheRulesOfWhatTheyMean() {
    for (String sneaky : new String[] {"/public/../secret/x", "/%73ecret/x", "//secret//x", "/./secret/x",
        "/secret%2Fx", "/x/%2e%2e/secret/y"}) {
      assertThat(match("x.test", "GET", sneaky).policy()).as(sneaky).isEqualTo(Policy.DENY);
    }
  }

  @Test
  void unreadablePathsAreDenied() {
    for (String broken : new String[] {"/a%zz", "/a%00b", "/a\\b", "relative", "/%c3%28"}) {
      assertThat(match("x.test", "GET", broken).policy()).as(broken).isEqualTo(Policy.DENY);
    }
  }
}
