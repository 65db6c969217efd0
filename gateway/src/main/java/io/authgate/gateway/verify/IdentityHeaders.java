package io.authgate.gateway.verify;

import io.authgate.core.config.HeadersConfig;
import io.authgate.core.identity.Principal;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Writes who the user is for the proxy to pass upstream: {@code Remote-User},
 * {@code Remote-Groups} (comma-separated), {@code Remote-Email}, {@code Remote-Name} (names
 * configurable). Values are sent as UTF-8 bytes, with control characters removed so a directory
 * value can never split a header. Immutable.
 */
final class IdentityHeaders {
  private final AsciiString user;
  private final AsciiString groups;
  private final AsciiString email;
  private final AsciiString name;

  IdentityHeaders(HeadersConfig names) {
    this.user = AsciiString.of(names.user());
    this.groups = AsciiString.of(names.groups());
    this.email = AsciiString.of(names.email());
    this.name = AsciiString.of(names.name());
  }

  /** Adds the headers to a response that has none of them yet (a verify answer). */
  void write(HttpServerResponse response, Principal principal) {
    MultiMap headers = response.headers();
    put(headers, user, principal.username());
    put(headers, groups, String.join(",", principal.groupNames()));
    put(headers, email, principal.email());
    put(headers, name, principal.displayName());
  }

  private static void put(MultiMap headers, AsciiString name, String value) {
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
    headers.add(name, new AsciiString(clean.toString().getBytes(StandardCharsets.UTF_8), false));
  }
}
