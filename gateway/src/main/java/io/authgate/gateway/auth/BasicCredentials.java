package io.authgate.gateway.auth;

import io.authgate.core.identity.Credentials;
import io.authgate.gateway.http.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads credentials, from {@code Authorization: Basic} or a form's fields, under the same input rules as a login body. */
public final class BasicCredentials {
  private static final String BASIC = "basic ";

  private BasicCredentials() {}

  /**
   * @param header the Authorization header, or null
   * @return the credentials; empty when the header is absent or of another scheme
   * @throws BadRequestException when the header is Basic but malformed, or breaks the input rules
   */
  public static Optional<Credentials> read(String header) {
    if (header == null || header.length() <= BASIC.length()
        || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("the Basic credentials are not valid base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new BadRequestException("the Basic credentials must be username:password");
    }
    return Optional.of(checked(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  /**
   * @return a username and password that meet the input rules (as a login form's fields must)
   * @throws BadRequestException when they do not
   */
  public static Credentials checked(String username, String password) {
    return new Credentials(InputRules.username(username), InputRules.password(password));
  }
}
