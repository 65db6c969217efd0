package io.authgate.core.config;

/**
 * The names of the identity headers a successful verify answers with, for the proxy to pass
 * upstream. Immutable.
 *
 * @param user the username header
 * @param groups the comma-separated groups header
 * @param email the email header
 * @param name the display name header
 */
public record HeadersConfig(String user, String groups, String email, String name) {
  static HeadersConfig read(ConfigNode n) {
    HeadersConfig config = new HeadersConfig(n.string("user", "Remote-User"), n.string("groups", "Remote-Groups"),
        n.string("email", "Remote-Email"), n.string("name", "Remote-Name"));
    for (String key : new String[] {"user", "groups", "email", "name"}) {
      String value = switch (key) {
        case "user" -> config.user();
        case "groups" -> config.groups();
        case "email" -> config.email();
        default -> config.name();
      };
      if (!value.matches("[A-Za-z0-9-]{1,64}")) {
        throw n.problem(key, "\"" + value + "\" is not a header name");
      }
    }
    n.rejectUnknownKeys();
    return config;
  }
}
