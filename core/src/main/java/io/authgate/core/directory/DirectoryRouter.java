package io.authgate.core.directory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the directory for a login: the realm the client names, else the one that owns the
 * username's email domain or UPN suffix, else the default. Immutable and thread-safe.
 */
public final class DirectoryRouter {
  private final Map<String, Directory> byName = new LinkedHashMap<>();
  private final Map<String, Directory> byDomain = new LinkedHashMap<>();
  private final Directory fallback;

  /**
   * @param directories the directories; at least one
   * @param defaultName the name of the default directory, or empty for the first
   */
  public DirectoryRouter(List<Directory> directories, String defaultName) {
    if (directories.isEmpty()) {
      throw new IllegalArgumentException("at least one directory is needed");
    }
    for (Directory d : directories) {
      byName.put(d.name(), d);
      d.config().emailDomains().forEach(domain -> byDomain.put(domain, d));
    }
    this.fallback = defaultName.isEmpty() ? directories.get(0) : byName.get(defaultName);
    if (fallback == null) {
      throw new IllegalArgumentException("no directory named " + defaultName);
    }
  }

  /** @return the directory with that realm name, ignoring case */
  public Optional<Directory> byRealm(String realm) {
    return Optional.ofNullable(byName.get(realm.toLowerCase(Locale.ROOT)));
  }

  /** @return the directory for a username: by its domain when one owns it, else the default */
  public Directory route(String username) {
    int at = username.lastIndexOf('@');
    if (at >= 0 && at < username.length() - 1) {
      Directory owner = byDomain.get(username.substring(at + 1).toLowerCase(Locale.ROOT));
      if (owner != null) {
        return owner;
      }
    }
    return fallback;
  }

  /** @return every directory, in configuration order */
  public Collection<Directory> all() {
    return byName.values();
  }
}
