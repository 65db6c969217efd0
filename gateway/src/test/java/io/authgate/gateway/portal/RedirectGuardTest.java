package io.authgate.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectGuardTest {
  private final RedirectGuard guard = new RedirectGuard(List.of("example.com"));

  @ParameterizedTest
  @ValueSource(strings = {
      "https://example.com/",
      "https://app.example.com/dashboard?tab=1#top",
      "http://deep.sub.example.com:8443/x",
      "HTTPS://APP.EXAMPLE.COM/path"})
  void urlsOnAnAllowedDomainAreAccepted(String url) {
    assertThat(guard.check(url)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "//evil.com",
      "///evil.com",
      "/\\evil.com",
      "\\\\evil.com",
      "/dashboard",
      "javascript:alert(1)",
      "JavaScript:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "https://evil.com",
      "https://example.com.evil.com/",
      "https://evilexample.com/",
      "https://example.com@evil.com/",
      "https://user:pass@example.com/",
      "https://evil.com/https://example.com",
      "https://evil.com\\@example.com",
      "https://example.com\r\nSet-Cookie: x=y",
      "https://example.com/%0d%0aSet-Cookie:x",
      "https://example.com%2F%2Fevil.com",
      "https:%2F%2Fevil.com",
      "https:/evil.com",
      "https://exa mple.com",
      "ftp://example.com/",
      "https://éxample.com/",
      " https://example.com/",
      ""})
  void everythingElseIsRefused(String url) {
    assertThat(guard.check(url)).as(url).isEmpty();
  }
}
