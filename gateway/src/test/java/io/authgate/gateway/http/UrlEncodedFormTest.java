package io.authgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlEncodedFormTest {
  @Test
  void fieldsAreDecodedAndTheFirstOfARepeatedFieldCounts() {
    assertThat(UrlEncodedForm.parse("SAMLResponse=PHNhbWw%2BPC9zYW1sPg%3D%3D&RelayState=a+b%26c&SAMLResponse=second"))
        .isEqualTo(Map.of("SAMLResponse", "PHNhbWw+PC9zYW1sPg==", "RelayState", "a b&c"));
  }

  @Test
  void emptyPartsNamesWithoutValuesAndUtf8() {
    assertThat(UrlEncodedForm.parse("")).isEmpty();
    assertThat(UrlEncodedForm.parse("&&a&b=&=x&c=%C3%A9t%C3%A9&"))
        .isEqualTo(Map.of("a", "", "b", "", "", "x", "c", "été"));
    assertThat(UrlEncodedForm.parse("k=v=w")).isEqualTo(Map.of("k", "v=w"));
  }

  @Test
  void aMalformedEscapeIsRefused() {
    assertThatThrownBy(() -> UrlEncodedForm.parse("SAMLResponse=%zz")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UrlEncodedForm.parse("SAMLResponse=abc%2")).isInstanceOf(IllegalArgumentException.class);
  }
}
