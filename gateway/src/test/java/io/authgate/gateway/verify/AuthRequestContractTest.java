package io.authgate.gateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AuthRequestContractTest {

  @Test
  void splitsWhatNginxSendsIntoItsParts() {
    OriginalRequest request = AuthRequestContract.parse("HTTPS://App.Example.com:8443/docs/a%20b?page=2#top", "post");
    assertThat(request).isEqualTo(new OriginalRequest("POST", "https", "app.example.com", "App.Example.com:8443",
        "/docs/a%20b?page=2"));
    assertThat(request.path()).isEqualTo("/docs/a%20b");
  }

  @Test
  void keepsCharactersJavaNetUriRefusesSoTheRulesJudgeTheRealPath() {
    for (String query : new String[] {"?x=|", "?x=%zz", "?x={}", "?x=\"", "?x=^", "?x=`", "?x=<"}) {
      OriginalRequest request = AuthRequestContract.parse("http://127.0.0.1:8080/secret/plans" + query, "GET");
      assertThat(request).as(query).isNotNull();
      assertThat(request.host()).isEqualTo("127.0.0.1");
      assertThat(request.path()).isEqualTo("/secret/plans");
    }
    assertThat(AuthRequestContract.parse("http://[::1]:8080/a|b", "GET").host()).isEqualTo("::1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http:///secret/plans", "http://", "http://host", "http://host?x=1", "/secret/plans",
      "ftp://host/x", "javascript://host/x", "http://user@evil.example.net/x", "http://:8080/x", "host/x", ""})
  void refusesWhatHasNoSchemeHostOrPath(String url) {
    assertThat(AuthRequestContract.parse(url, "GET")).isNull();
  }
}
