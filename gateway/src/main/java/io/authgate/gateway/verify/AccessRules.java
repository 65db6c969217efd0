package io.authgate.gateway.verify;

import io.authgate.core.config.AccessConfig;
import io.authgate.core.config.AccessConfig.Policy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The access rules, compiled: host and path globs become patterns once, and each request's path
 * is normalised before matching (percent-decoded, dot segments resolved, repeated slashes
 * collapsed), so {@code /public/../admin} and {@code /%61dmin} meet the rules for {@code /admin}.
 * A path that cannot be normalised (bad encoding, control characters) is denied. Immutable and
 * thread-safe.
 */
final class AccessRules {

  /** What applies to a request: the policy and, for {@code authenticated}, the groups one of which is needed. */
  record Match(Policy policy, List<String> groups) {}

  private record Compiled(List<Pattern> hosts, List<Pattern> paths, List<String> methods, Match match) {
    boolean matches(String host, String path, String method) {
      return (hosts.isEmpty() || hosts.stream().anyMatch(h -> h.matcher(host).matches()))
          && (paths.isEmpty() || paths.stream().anyMatch(p -> p.matcher(path).matches()))
          && (methods.isEmpty() || methods.contains(method));
    }
  }

  private static final Match DENIED = new Match(Policy.DENY, List.of());
  private final List<Compiled> rules;
  private final Match fallback;

  AccessRules(AccessConfig config) {
    this.rules = config.rules().stream().map(r -> new Compiled(
        r.hosts().stream().map(AccessRules::hostPattern).toList(),
        r.paths().stream().map(AccessRules::pathPattern).toList(),
        r.methods(), new Match(r.policy(), r.groups()))).toList();
    this.fallback = new Match(config.defaultPolicy(), List.of());
  }

  /** @return what applies to the request: the first matching rule, else the default policy */
  Match match(OriginalRequest request) {
    Optional<String> path = normalise(request.path());
    if (path.isEmpty()) {
      return DENIED;
    }
    for (Compiled rule : rules) {
      if (rule.matches(request.host(), path.get(), request.method())) {
        return rule.match();
      }
    }
    return fallback;
  }

  /** {@code *.example.com} matches any subdomain of example.com (not example.com itself). */
  static Pattern hostPattern(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      regex.append(c == '*' ? "[^/]+" : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** {@code *} stays within a segment, {@code **} spans segments, a trailing {@code /**} also matches the bare prefix. */
  static Pattern pathPattern(String glob) {
    String body = glob;
    String tail = "";
    if (body.endsWith("/**")) {
      body = body.substring(0, body.length() - 3);
      tail = "(/.*)?";
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '*' && i + 1 < body.length() && body.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex + tail);
  }

  /** @return the path decoded, with dot segments resolved and repeated slashes collapsed; empty when unreadable */
  static Optional<String> normalise(String raw) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || c == '\ufffd') {
        return Optional.empty();
      }
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : decoded.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.add(segment);
      }
    }
    String path = "/" + String.join("/", segments);
    return Optional.of(decoded.endsWith("/") && !path.equals("/") ? path + "/" : path);
  }

}
