package io.authgate.core.directory;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.identity.Credentials;
import io.vertx.core.Future;

/**
 * A directory that authenticates users. Implementations are thread-safe and never block the
 * calling event loop.
 */
public interface Directory {

  /** @return the directory's realm name */
  default String name() {
    return config().name();
  }

  /** @return the directory's configuration */
  DirectoryConfig config();

  /**
   * Checks credentials against the directory, binding whenever the entry is found and usable.
   *
   * @param credentials a non-blank username and password
   * @return the outcome; failed with {@link DirectoryUnavailableException} only when the directory
   *     could not answer
   */
  default Future<BindOutcome> authenticate(Credentials credentials) {
    return authenticate(credentials, BindGate.OPEN);
  }

  /**
   * Checks credentials against the directory.
   *
   * @param credentials a non-blank username and password
   * @param gate asked between finding the entry and binding as it; a refusal there is the outcome,
   *     with no bind
   * @return the outcome; failed with {@link DirectoryUnavailableException} only when the directory
   *     could not answer
   */
  Future<BindOutcome> authenticate(Credentials credentials, BindGate gate);

  /**
   * A health probe: the service account binds and reads the base entry.
   *
   * @return the time the probe took, in milliseconds; failed when the directory is unhealthy
   */
  Future<Long> probe();

  /**
   * Unregisters this directory's meters at once, so a replacement of the same name registers its
   * own (meters are keyed by name); this one keeps working, unmeasured, until closed.
   */
  default void releaseMeters() {
  }

  /** Releases connections and threads, and unregisters the meters if still registered. */
  Future<Void> close();
}
