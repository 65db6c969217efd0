package io.authgate.core.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The record of a pending request and its browser binding. */
class PendingRequestTest {
  private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void theBindingIsTheSha256OfTheCookieValueAndOnlyThatBrowserMatches() {
    String binding = PendingRequest.bindingOf("abc");
    assertThat(binding).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    PendingRequest request = new PendingRequest("okta", binding, null, LATER);
    assertThat(request.boundTo(PendingRequest.bindingOf("abc"))).isTrue();
    assertThat(request.boundTo(PendingRequest.bindingOf("abd"))).isFalse();
    assertThat(request.boundTo(binding.toUpperCase())).isFalse();
    assertThat(request.boundTo("")).isFalse();
    assertThat(request.boundTo(null)).isFalse();
  }

  @Test
  void aBindingThatIsNotASha256IsRefused() {
    assertThatThrownBy(() -> new PendingRequest("okta", "cookie-value-itself", null, LATER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PendingRequest("okta", null, null, LATER)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void itSurvivesItsJsonForm() {
    PendingRequest request = new PendingRequest("entra", PendingRequest.bindingOf("x"), "https://a.example/?b=c", LATER);
    assertThat(PendingRequest.fromJson(request.toJson())).isEqualTo(request);
    assertThat(request.expiredAt(LATER)).isTrue();
    assertThat(request.expiredAt(LATER.minusMillis(1))).isFalse();
  }
}
