package io.authgate.core.crypto;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.Secret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the master key of the {@link SecretBox} comes from: {@code store.masterKey} (base64 of 32
 * bytes) in production, or, in the embedded default, the file {@code master.key} in the data
 * directory, generated at the first start with owner-only permissions (0600) and read back later.
 * Blocking (file I/O): call at start, or from a worker. Thread-safe; stateless.
 */
public final class MasterKeys {
  /** The file name of the generated master key in the data directory. */
  public static final String FILE_NAME = "master.key";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);

  private MasterKeys() {}

  /**
   * The box of a process: under {@code store.masterKey}; else, with the embedded store, under the key
   * file of {@code embedded.dataDir}; else (an external store without a master key) none, with a
   * warning: a key generated on one host would open nothing sealed on another. Blocking when it
   * reads or writes the key file: call at start or from a worker.
   *
   * @return the box, or empty when secrets in the store can be neither sealed nor opened
   * @see #fromConfigOrDataDir
   */
  public static Optional<SecretBox> forConfig(AuthgateConfig config) {
    Optional<SecretBox> box = forStore(config);
    if (box.isEmpty()) {
      LOG.atWarn().addKeyValue("event", "store.master_key_missing")
          .log("store.masterKey is not set: directories with a bind password and SAML SP keys can be neither "
              + "managed through the admin API nor loaded from the store; set the same store.masterKey on every "
              + "process sharing the store");
    }
    return box;
  }

  /**
   * @param configured {@code store.masterKey}, if set
   * @param dataDir the embedded default's data directory, used when nothing is configured
   * @return a box under the configured key, else under the key in {@code <dataDir>/master.key}
   *     (generated when the file does not exist yet)
   * @throws IllegalArgumentException when the configured key is not base64 of 32 bytes
   * @throws IllegalStateException when the key file cannot be read or written, is malformed, or may be
   *     read by others than its owner
   */
  public static SecretBox fromConfigOrDataDir(Optional<Secret> configured, Path dataDir) {
    if (configured.isPresent()) {
      return SecretBox.of(decode(configured.get().reveal())
          .orElseThrow(() -> new IllegalArgumentException("store.masterKey must be the base64 of "
              + SecretBox.KEY_BYTES + " bytes (e.g. openssl rand -base64 32)")));
    }
    return SecretBox.of(fromFile(dataDir.resolve(FILE_NAME)));
  }

  /**
   * The box sealing the store's secrets, when there is a master key for it: {@code store.masterKey},
   * or, for the embedded store ({@code postgres.url} unset), the key under {@code embedded.dataDir}
   * (generated at its first use). A real store without {@code store.masterKey} has none: nothing is
   * written under the data directory for it. Blocking (file I/O): call at start, or from a worker.
   *
   * @param config the whole configuration
   * @return the box, or empty
   */
  public static Optional<SecretBox> forStore(AuthgateConfig config) {
    if (config.store().masterKey().isEmpty() && config.postgres().url().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(fromConfigOrDataDir(config.store().masterKey(), config.embedded().dataDir()));
  }

  /** @return the 32 bytes a base64 text holds, or empty when it holds anything else */
  public static Optional<byte[]> decode(String base64) {
    try {
      byte[] key = Base64.getDecoder().decode(base64.strip());
      return key.length == SecretBox.KEY_BYTES ? Optional.of(key) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] fromFile(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!Files.exists(file)) {
        byte[] key = new byte[SecretBox.KEY_BYTES];
        RANDOM.nextBytes(key);
        if (create(file, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII))) {
          return key;
        }
      }
      return read(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the master key " + file + ": " + e.getMessage(), e);
    }
  }

  /** @return false when another process created the file first */
  private static boolean create(Path file, byte[] content) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    try (SeekableByteChannel channel = Files.newByteChannel(file,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC), attributes)) {
      channel.write(ByteBuffer.wrap(content));
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    if (posix) {
      // The umask may have narrowed the creation mode, never widened it; set it exactly anyway.
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
    return true;
  }

  private static byte[] read(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(OTHERS::contains)) {
        throw new IllegalStateException("the master key " + file + " may be read by others than its owner ("
            + PosixFilePermissions.toString(permissions) + "); make it owner-only: chmod 600 " + file);
      }
    }
    return decode(Files.readString(file, StandardCharsets.US_ASCII)).orElseThrow(() -> new IllegalStateException(
        "the master key " + file + " does not hold the base64 of " + SecretBox.KEY_BYTES + " bytes"));
  }
}
