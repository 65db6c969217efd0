package io.authgate.admin.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorTest {
  @Test
  void aCursorIsOpaqueUrlSafeAndLeadsBackToItsId() {
    UUID id = UUID.randomUUID();
    String cursor = Cursor.after(id);
    assertThat(cursor).doesNotContain(id.toString()).matches("[A-Za-z0-9_-]+");
    assertThat(Cursor.parse(cursor)).isEqualTo(id);
  }

  @Test
  void anythingElseIsRefused() {
    String unversioned = Base64.getUrlEncoder().encodeToString(UUID.randomUUID().toString()
        .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Cursor.parse(unversioned)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cursor.parse("!!!")).isInstanceOf(IllegalArgumentException.class);
    String badId = Base64.getUrlEncoder().encodeToString("v1:not-a-uuid".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Cursor.parse(badId)).isInstanceOf(IllegalArgumentException.class);
  }
}
