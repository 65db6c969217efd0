package io.authgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlEncodedFormTest {
  @Test
  void fieldsAreDecoded() {
    MultiMap fields = UrlEncodedForm.parse("SAMLResponse=PHNhbWw%2BPC9zYW1sPg%3D%3D&RelayState=a+b%26c");
    assertThat(fields.size()).isEqualTo(2);
    assertThat(SingleValues.single(fields, "SAMLResponse")).isEqualTo("PHNhbWw+PC9zYW1sPg==");
    assertThat(SingleValues.single(fields, "RelayState")).isEqualTo("a b&c");
    assertThat(SingleValues.single(fields, "other")).isNull();
  }

  @Test
  void aFieldSentTwiceIsKeptTwiceWhicheverWayItIsSpelled() {
    // Twice, three times, once encoded, once in another case: every value is kept, none picked.
    for (String body : List.of("SAMLResponse=first&RelayState=r&SAMLResponse=second",
        "SAMLResponse=a&SAMLResponse=b&SAMLResponse=c&RelayState=r", "SAMLResponse=a&RelayState=r&SAML%52esponse=a",
        "SAMLResponse=a&RelayState=r&samlresponse=b")) {
      MultiMap fields = UrlEncodedForm.parse(body);
      assertThat(fields.getAll("SAMLResponse")).as(body).hasSizeGreaterThan(1);
      assertThatThrownBy(() -> SingleValues.single(fields, "SAMLResponse")).as(body)
          .isInstanceOf(BadRequestException.class).hasMessage("SAMLResponse is given more than once");
      assertThat(SingleValues.single(fields, "RelayState")).as(body).isEqualTo("r");
    }
  }

  @Test
  void emptyPartsNamesWithoutValuesAndUtf8() {
    assertThat(UrlEncodedForm.parse("").isEmpty()).isTrue();
    MultiMap fields = UrlEncodedForm.parse("&&a&b=&=x&c=%C3%A9t%C3%A9&");
    assertThat(fields.entries()).extracting(e -> e.getKey() + "=" + e.getValue())
        .containsExactly("a=", "b=", "=x", "c=été");
    assertThat(UrlEncodedForm.parse("k=v=w").get("k")).isEqualTo("v=w");
  }

  @Test
  void aMalformedEscapeIsRefused() {
    assertThatThrownBy(() -> UrlEncodedForm.parse("SAMLResponse=%zz")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UrlEncodedForm.parse("SAMLResponse=abc%2")).isInstanceOf(IllegalArgumentException.class);
  }
}
