package io.authgate.core.jobs;

/** The job types authgate runs, and the payload keys they read, in one place. */
public final class JobTypes {
  private JobTypes() {}

  /** Directory sync (LDAP to the store). Payload: {@link #DIRECTORY}, {@link #MODE}, {@link #DRY_RUN}. */
  public static final String DIRECTORY_SYNC = "directory.sync";
  /** Provisioning from the store to a directory. Payload: {@link #DIRECTORY}. */
  public static final String DIRECTORY_PROVISION = "directory.provision";
  /** Directory health probe. Payload: {@link #DIRECTORY}. */
  public static final String DIRECTORY_HEALTH = "directory.health";

  /** Payload key: the directory's name. */
  public static final String DIRECTORY = "directory";
  /** Payload key: {@code full} or {@code incremental}. */
  public static final String MODE = "mode";
  /** Payload key: a boolean, true for a pass that writes nothing. */
  public static final String DRY_RUN = "dryRun";
  /** The NOTIFY channel a new job is announced on. */
  public static final String CHANNEL = "authgate_jobs";
}
