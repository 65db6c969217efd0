package io.authgate.core.testing;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP server (Debian's {@code slapd}) for tests: an mdb database with the memberof and
 * ppolicy overlays, LDAP and LDAPS listeners on loopback (StartTLS on the LDAP one), seeded with
 * {@code ldap/directory.ldif}. {@link #shared()} is started once per JVM; tests that stop the
 * server take their own with {@link #startNew()}.
 */
public final class Slapd implements AutoCloseable {
  /** The suffix. */
  public static final String BASE_DN = "dc=example,dc=org";
  /** The root DN, also used as the gateway's service account in tests. */
  public static final String ADMIN_DN = "cn=admin,dc=example,dc=org";
  /** The root DN's password. */
  public static final String ADMIN_PASSWORD = "admin-secret";
  private static final String SLAPD = System.getenv().getOrDefault("AUTHGATE_TEST_SLAPD", "/usr/sbin/slapd");
  private static Slapd shared;

  private final Path dir;
  private final int port;
  private final int ldapsPort;
  private Process process;

  private Slapd(Path dir, int port, int ldapsPort) {
    this.dir = dir;
    this.port = port;
    this.ldapsPort = ldapsPort;
  }

  /** @return the JVM-wide instance, started and seeded on first use, stopped at exit */
  public static synchronized Slapd shared() {
    if (shared == null) {
      shared = startNew();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** @return a new, seeded instance the caller owns and must close */
  public static Slapd startNew() {
    if (!Files.isExecutable(Path.of(SLAPD))) {
      throw new IllegalStateException(SLAPD + " not found: install OpenLDAP (apt-get install slapd ldap-utils) "
          + "or set AUTHGATE_TEST_SLAPD");
    }
    try {
      Path dir = Files.createTempDirectory("authgate-slapd");
      Files.createDirectories(dir.resolve("db"));
      Slapd slapd = new Slapd(dir, FreePorts.next(), FreePorts.next());
      slapd.writeConfig();
      slapd.start();
      slapd.seed();
      return slapd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeConfig() throws IOException {
    TestCertificates certs = TestCertificates.get();
    String config = """
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        include /etc/ldap/schema/nis.schema
        modulepath /usr/lib/ldap
        moduleload back_mdb
        moduleload memberof
        moduleload ppolicy
        pidfile %1$s/slapd.pid
        argsfile %1$s/slapd.args
        TLSCACertificateFile %2$s
        TLSCertificateFile %3$s
        TLSCertificateKeyFile %4$s
        database mdb
        suffix "%5$s"
        rootdn "%6$s"
        rootpw %7$s
        directory %1$s/db
        maxsize 104857600
        index objectClass eq
        index uid,mail,cn eq
        index member,uniqueMember,memberUid eq
        overlay memberof
        memberof-group-oc groupOfNames
        memberof-member-ad member
        memberof-memberof-ad memberOf
        memberof-refint true
        overlay ppolicy
        ppolicy_default "cn=default,ou=policies,%5$s"
        ppolicy_use_lockout
        access to attrs=userPassword by self write by anonymous auth by * none
        access to * by * read
        """.formatted(dir, certs.caFile(), certs.serverCertificate(), certs.serverKey(), BASE_DN, ADMIN_DN,
        ADMIN_PASSWORD);
    Files.writeString(dir.resolve("slapd.conf"), config);
  }

  /** Starts (or restarts) the server on its ports, keeping its data. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder(SLAPD, "-f", dir.resolve("slapd.conf").toString(),
          "-h", "ldap://127.0.0.1:" + port + "/ ldaps://127.0.0.1:" + ldapsPort + "/", "-d", "0")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("slapd.log").toFile())
          .start();
      waitForPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server (the data stays); connections to it fail from now on. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private void waitForPort() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("slapd exited: " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException("slapd did not listen on " + port + ": " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("slapd.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private void seed() {
    try (LDAPConnection admin = adminConnection()) {
      for (String resource : List.of("/ldap/directory.ldif", "/ldap/slapd-policy.ldif")) {
        try (InputStream in = Slapd.class.getResourceAsStream(resource); LDIFReader reader = new LDIFReader(in)) {
          for (var entry = reader.readEntry(); entry != null; entry = reader.readEntry()) {
            admin.add(entry);
          }
        }
      }
      // ppolicy: a lock time of 000001010000Z means "locked until an administrator unlocks".
      admin.modify("uid=locked,ou=people," + BASE_DN,
          new Modification(ModificationType.ADD, "pwdAccountLockedTime", "000001010000Z"));
    } catch (LDAPException | IOException | com.unboundid.ldif.LDIFException e) {
      throw new IllegalStateException("cannot seed slapd: " + e.getMessage(), e);
    }
  }

  /** @return a connection bound as the root DN; the caller closes it */
  public LDAPConnection adminConnection() throws LDAPException {
    LDAPConnection connection = new LDAPConnection("127.0.0.1", port);
    connection.bind(ADMIN_DN, ADMIN_PASSWORD);
    return connection;
  }

  /** @return {@code ldap://127.0.0.1:port} */
  public String url() {
    return "ldap://127.0.0.1:" + port;
  }

  /** @return {@code ldap://localhost:port}, for StartTLS with hostname verification */
  public String localhostUrl() {
    return "ldap://localhost:" + port;
  }

  /** @return {@code ldaps://localhost:port} */
  public String ldapsUrl() {
    return "ldaps://localhost:" + ldapsPort;
  }

  /** @return the plain LDAP port */
  public int port() {
    return port;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
