package io.authgate.gateway.portal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a return URL may be redirected to: only an absolute {@code http(s)} URL, plain
 * ASCII without spaces, control characters (plain or percent-encoded) or backslashes, without
 * user information, whose host
 * is an allowed domain or one of its subdomains. Everything else — {@code //evil},
 * {@code /\evil}, {@code javascript:}, CRLF, encoded and user-info tricks — is refused, and the
 * caller falls back to its default. Immutable and thread-safe.
 */
public final class RedirectGuard {
  /** Longer return URLs are refused. */
  static final int MAX_LENGTH = 2048;
  private final List<String> allowedDomains;

  /** @param allowedDomains lower-case domains; a URL's host must equal one or end with "." + one */
  public RedirectGuard(List<String> allowedDomains) {
    this.allowedDomains = List.copyOf(allowedDomains);
  }

  /** @return the URL when it may be redirected to */
  public Optional<URI> check(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        return Optional.empty();
      }
      // Encoded control characters (%00-%1F, %7F) have no place in a return URL: an application
      // that decodes and reflects one could still split a header.
      if (c == '%' && i + 2 < candidate.length() && encodedControl(candidate.charAt(i + 1), candidate.charAt(i + 2))) {
        return Optional.empty();
      }
    }
    URI uri;
    try {
      uri = new URI(candidate);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.isOpaque()) {
      return Optional.empty();
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean allowed = allowedDomains.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
    return allowed ? Optional.of(uri) : Optional.empty();
  }

  private static boolean encodedControl(char high, char low) {
    int value = Character.digit(high, 16) * 16 + Character.digit(low, 16);
    return Character.digit(high, 16) >= 0 && Character.digit(low, 16) >= 0 && (value < 0x20 || value == 0x7f);
  }
}
