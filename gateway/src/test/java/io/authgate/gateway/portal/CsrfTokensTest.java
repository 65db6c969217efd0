package io.authgate.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsrfTokensTest {
  private final CsrfTokens tokens = new CsrfTokens("k".repeat(32).getBytes());

  @Test
  void aTokenIsAcceptedOnlyWhenCookieAndFieldMatchAndTheSignatureHolds() {
    String token = tokens.issue();
    assertThat(tokens.accepts(token, token)).isTrue();
    assertThat(tokens.accepts(token, tokens.issue())).isFalse();
    assertThat(tokens.accepts(null, token)).isFalse();
    assertThat(tokens.accepts(token, null)).isFalse();
    // A cookie planted by a sibling subdomain, paired with the same field: unsigned, so refused.
    assertThat(tokens.accepts("planted.value", "planted.value")).isFalse();
    String forged = token.substring(0, token.indexOf('.')) + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assertThat(tokens.accepts(forged, forged)).isFalse();
    assertThat(new CsrfTokens("x".repeat(32).getBytes()).accepts(token, token)).as("another key").isFalse();
  }
}
