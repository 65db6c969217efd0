package io.authgate.core.directory;

/**
 * The directory could not answer: unreachable, timed out, out of connections, or its circuit is
 * open. Never means the credentials were wrong.
 */
public final class DirectoryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the directory could not answer, a small fixed set for logs and metrics. */
  public enum Cause {
    /** No server could be reached. */
    UNREACHABLE("unreachable"),
    /** An operation took longer than allowed. */
    TIMEOUT("timeout"),
    /** No pooled connection became free in time. */
    POOL_EXHAUSTED("pool_exhausted"),
    /** The circuit breaker is open. */
    CIRCUIT_OPEN("circuit_open"),
    /** The server answered with an unexpected error. */
    SERVER_ERROR("server_error");

    private final String label;

    Cause(String label) {
      this.label = label;
    }

    /** @return the metric label and log value */
    public String label() {
      return label;
    }
  }

  private final String directory;
  private final Cause kind;

  /**
   * @param directory the directory's name
   * @param kind why it could not answer
   * @param detail a description for logs, free of secrets
   */
  public DirectoryUnavailableException(String directory, Cause kind, String detail) {
    super(directory + ": " + kind.label() + ": " + detail, null, false, false);
    this.directory = directory;
    this.kind = kind;
  }

  /** @return the directory's name */
  public String directory() {
    return directory;
  }

  /** @return why it could not answer */
  public Cause kind() {
    return kind;
  }
}
