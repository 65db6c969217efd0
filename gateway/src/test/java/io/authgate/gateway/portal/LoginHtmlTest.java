package io.authgate.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoginHtmlTest {
  @Test
  void everyValueIsEscaped() {
    String page = LoginHtml.form("/login", "tok\"en", "https://a.example.com/?q=<x>&y='1'", "<script>", "a & b",
        List.of());
    assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;")
        .contains("value=\"tok&quot;en\"").contains("q=&lt;x&gt;&amp;y=&#39;1&#39;").contains("a &amp; b");
  }

  @Test
  void thePageIsSelfContainedAndLabelled() {
    String page = LoginHtml.form("/login", "t", null, null, "Wrong", List.of());
    assertThat(page).contains("<html lang=\"en\">").contains("<label for=\"username\">")
        .contains("<label for=\"password\">").contains("autocomplete=\"current-password\"")
        .contains("role=\"alert\"").contains("aria-describedby=\"error\"")
        .doesNotContain("<script").doesNotContain("src=").doesNotContain("http://").doesNotContain("https://");
    assertThat(LoginHtml.CONTENT_SECURITY_POLICY).startsWith("default-src 'none'; style-src 'sha256-")
        .contains("frame-ancestors 'none'");
  }

  @Test
  void eachIdentityProviderGetsAnEscapedLink() {
    String page = LoginHtml.form("/login", "t", null, null, null, List.of(
        new Portal.IdpButton("Okta <corp>", "/saml/okta/login?rd=https%3A%2F%2Fapp.example.com%2F&x=1"),
        new Portal.IdpButton("Entra ID", "/saml/entra/login")));
    assertThat(page).contains("<nav class=\"sso\" aria-label=\"Single sign-on\">")
        .contains("<a href=\"/saml/okta/login?rd=https%3A%2F%2Fapp.example.com%2F&amp;x=1\">Okta &lt;corp&gt;</a>")
        .contains("<a href=\"/saml/entra/login\">Entra ID</a>");
    assertThat(LoginHtml.form("/login", "t", null, null, null, List.of())).doesNotContain("class=\"sso\"");
  }
}
