package io.authgate.core.config;

/**
 * A configuration value is missing or wrong. The message is one line that names the key (and the
 * environment variable when the value came from one) and says what is wrong; it never contains a
 * secret's value.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String problem;

  /**
   * @param key the offending key, as a path such as {@code directories[0].urls}; never null
   * @param problem what is wrong with it; never null
   */
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
    this.problem = problem;
  }

  /** @return the offending key, as a path such as {@code directories[0].urls} */
  public String key() {
    return key;
  }

  /** @return what is wrong with it, without the key */
  public String problem() {
    return problem;
  }
}
