package io.authgate.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Filter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTemplateTest {
  private static String fill(String template, String username) {
    return new FilterTemplate(template).fill(Map.of("username", username, "dn", "cn=x,dc=y")).toString();
  }

  @Test
  void valuesAreAssertionValuesNeverFilterSyntax() {
    assertThat(fill("(uid={username})", "alice")).isEqualTo("(uid=alice)");
    assertThat(fill("(uid={username})", "*")).isEqualTo("(uid=\\2a)");
    assertThat(fill("(uid={username})", "a)(uid=*")).isEqualTo("(uid=a\\29\\28uid=\\2a)");
    assertThat(fill("(|(uid={username})(mail={username}))", "x*)(|(a=b")).isEqualTo(
        "(|(uid=x\\2a\\29\\28|\\28a=b)(mail=x\\2a\\29\\28|\\28a=b))");
    assertThat(fill("(uid={username})", "back\\slash")).isEqualTo("(uid=back\\5cslash)");
  }

  @Test
  void placeholdersWorkInEveryKindOfComponent() {
    assertThat(fill("(&(objectClass=user)(!(cn={username})))", "bob")).isEqualTo("(&(objectClass=user)(!(cn=bob)))");
    assertThat(fill("(cn=pre{username}*post)", "b*b")).isEqualTo("(cn=preb\\2ab*post)");
    assertThat(fill("(member:1.2.840.113556.1.4.1941:={dn})", "ignored"))
        .isEqualTo("(member:1.2.840.113556.1.4.1941:=cn=x,dc=y)");
    assertThat(fill("(memberUid={username})", "dave")).isEqualTo("(memberUid=dave)");
  }

  @Test
  void theFilledFilterMatchesWhatTheServerWillSee() throws Exception {
    Filter filled = new FilterTemplate("(uid={username})").fill(Map.of("username", "a*"));
    assertThat(filled.getFilterType()).isEqualTo(Filter.FILTER_TYPE_EQUALITY);
    assertThat(filled.getAssertionValue()).isEqualTo("a*");
    assertThat(filled).isEqualTo(Filter.create("(uid=a\\2a)"));
  }

  @Test
  void anInvalidTemplateIsRefused() {
    assertThatThrownBy(() -> new FilterTemplate("(uid={username}")).isInstanceOf(IllegalArgumentException.class);
  }
}
