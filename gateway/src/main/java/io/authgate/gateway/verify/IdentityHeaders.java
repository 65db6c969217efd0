package io.authgate.gateway.verify;

import io.authgate.core.config.HeadersConfig;
import io.authgate.core.identity.Principal;
import io.netty.util.AsciiString;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Writes who the user is for the proxy to pass upstream: {@code Remote-User},
 * {@code Remote-Groups} (comma-separated), {@code Remote-Email}, {@code Remote-Name} (names
 * configurable). Values are sent as UTF-8 bytes, with control characters removed so a directory
 * value can never split a header. Immutable.
 */
final class IdentityHeaders {
  private final HeadersConfig names;

  IdentityHeaders(HeadersConfig names) {
    this.names = names;
  }

  void write(HttpServerResponse response, Principal principal) {
    put(response, names.user(), principal.username());
    put(response, names.groups(), String.join(",", principal.groupNames()));
    put(response, names.email(), principal.email());
    put(response, names.name(), principal.displayName());
  }

  private static void put(HttpServerResponse response, String name, String value) {
    if (value == null) {
      return;
    }
    StringBuilder clean = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        clean.append(c);
      }
    }
    response.putHeader(name, new AsciiString(clean.toString().getBytes(StandardCharsets.UTF_8), false));
  }
}
