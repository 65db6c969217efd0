package io.authgate.admin.users;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of a users page: the id of the last account of the previous page, versioned
 * and base64url-encoded so clients treat it as a token. Not a secret: it only orders a listing.
 */
public final class Cursor {
  private static final String VERSION = "v1:";

  private Cursor() {
  }

  /** @return the cursor that continues after this id */
  public static String after(UUID id) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((VERSION + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param cursor a cursor {@link #after} made
   * @return the id it continues after
   * @throws IllegalArgumentException when it is not such a cursor
   */
  public static UUID parse(String cursor) {
    String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    if (!text.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a cursor");
    }
    return UUID.fromString(text.substring(VERSION.length()));
  }
}
