package io.authgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.gateway.http.BadRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputRulesTest {
  @Test
  void usernamesAreTrimmedAndComposedButKeepTheirCase() {
    assertThat(InputRules.username("  Alice \t")).isEqualTo("Alice");
    // "e" + combining acute becomes the single composed character.
    assertThat(InputRules.username("Ame\u0301lie")).isEqualTo("Am\u00e9lie");
  }

  @Test
  void controlFormatAndBidiCharactersAreRefused() {
    for (String bad : new String[] {"a\nb", "a\u0007b", "a\u200bb", "a\u202eb", "a\u2066b", "a\u2028b"}) {
      assertThatThrownBy(() -> InputRules.username(bad)).isInstanceOf(BadRequestException.class);
    }
  }

  @Test
  void passwordsAreKeptExactlyButNeverBlank() {
    assertThat(InputRules.password(" pass word ")).isEqualTo(" pass word ");
    assertThatThrownBy(() -> InputRules.password("")).hasMessage("password is required");
    assertThatThrownBy(() -> InputRules.password(" \u00a0\t")).hasMessage("password must not be blank");
    assertThatThrownBy(() -> InputRules.password("a\0b")).hasMessage("password contains a NUL character");
    assertThatThrownBy(() -> InputRules.password("x".repeat(1025))).hasMessage("password is longer than 1024 characters");
  }

  @Test
  void credentialsThatWereNotUtf8AreRefusedAsSuch() {
    // What new String(bytes, UTF_8) makes of "m\u00fcller" sent in Latin-1.
    String latin1 = new String("m\u00fcller".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    assertThat(latin1).isEqualTo("m\ufffdller");
    assertThatThrownBy(() -> InputRules.username(latin1))
        .hasMessage("username holds U+FFFD, the mark of bytes that were not UTF-8: send credentials in UTF-8");
    assertThatThrownBy(() -> InputRules.password(latin1))
        .hasMessage("password holds U+FFFD, the mark of bytes that were not UTF-8: send credentials in UTF-8");
    assertThat(InputRules.password("m\u00fcller")).isEqualTo("m\u00fcller");
    assertThat(InputRules.username("m\u00fcller")).isEqualTo("m\u00fcller");
  }

  @Test
  void realmsAreDirectoryNames() {
    assertThat(InputRules.realm(" Corp ")).isEqualTo("corp");
    assertThat(InputRules.realm("")).isNull();
    assertThatThrownBy(() -> InputRules.realm("../etc")).isInstanceOf(BadRequestException.class);
  }
}
