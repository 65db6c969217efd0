package io.authgate.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginHtmlTest {
  @Test
  void everyValueIsEscaped() {
    String page = LoginHtml.form("/login", "tok\"en", "https://a.example.com/?q=<x>&y='1'", "<script>", "a & b");
    assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;")
        .contains("value=\"tok&quot;en\"").contains("q=&lt;x&gt;&amp;y=&#39;1&#39;").contains("a &amp; b");
  }

  @Test
  void thePageIsSelfContainedAndLabelled() {
    String page = LoginHtml.form("/login", "t", null, null, "Wrong");
    assertThat(page).contains("<html lang=\"en\">").contains("<label for=\"username\">")
        .contains("<label for=\"password\">").contains("autocomplete=\"current-password\"")
        .contains("role=\"alert\"").contains("aria-describedby=\"error\"")
        .doesNotContain("<script").doesNotContain("src=").doesNotContain("http://").doesNotContain("https://");
    assertThat(LoginHtml.CONTENT_SECURITY_POLICY).startsWith("default-src 'none'; style-src 'sha256-")
        .contains("frame-ancestors 'none'");
  }
}
