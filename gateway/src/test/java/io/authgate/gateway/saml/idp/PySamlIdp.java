package io.authgate.gateway.saml.idp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A SAML identity provider for tests that nobody on this project wrote: {@code saml/idp.py} (test
 * resources) on Debian's pysaml2 and xmlsec1, run as a process per batch of jobs.
 *
 * <p>{@link #create} makes three key pairs with openssl in a temporary directory: the IdP's
 * signing keys (in its metadata), a second IdP's keys ({@code other-idp-key}) and keys in nobody's
 * metadata ({@code foreign-key}). Call {@link #produce(TestSp, List)} once per test class with every
 * job the class needs: each call starts Python once (then about 50 ms per message), and
 * {@link #produce(TestSp, List, int)} runs several processes for thousands. Thread-safe: the
 * fields never change after {@link #create}, and each call has its own process and files;
 * {@link #close} deletes the keys.
 */
public final class PySamlIdp implements AutoCloseable {
  /** System property naming the Python interpreter that has pysaml2 (default {@value #DEFAULT_PYTHON}). */
  public static final String PYTHON_PROPERTY = "authgate.test.python";
  /** The Debian interpreter; a pyenv or virtualenv python3 earlier on the PATH lacks Debian's modules. */
  public static final String DEFAULT_PYTHON = "/usr/bin/python3";
  /** What to do when the tools are missing. */
  public static final String INSTALL_HINT =
      "the test SAML IdP needs Debian's pysaml2 and xmlsec1: apt-get install python3-pysaml2 xmlsec1";
  private static final List<String> SCRIPTS =
      List.of("idp.py", "builder.py", "attacks.py", "attributemaps/passthrough.py");
  private static final Duration BASE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PER_JOB_TIMEOUT = Duration.ofMillis(250);

  private final Path dir;
  private final String python;
  private final String entityId;
  private final PemKeyPair signingKeys;
  private final PemKeyPair otherIdpKeys;
  private final PemKeyPair foreignKeys;

  private PySamlIdp(Path dir, String python, String entityId) {
    this.dir = dir;
    this.python = python;
    this.entityId = entityId;
    this.signingKeys = PemKeyPair.generate(dir, "idp");
    this.otherIdpKeys = PemKeyPair.generate(dir, "other-idp");
    this.foreignKeys = PemKeyPair.generate(dir, "foreign");
  }

  /**
   * Checks pysaml2 and xmlsec1 are installed, copies the scripts out and makes the key pairs.
   *
   * @param entityId the IdP's entity ID, e.g. {@code https://idp.test/metadata}
   * @return the IdP
   * @throws IllegalStateException with {@link #INSTALL_HINT} when pysaml2 or xmlsec1 is missing
   */
  public static PySamlIdp create(String entityId) {
    String python = System.getProperty(PYTHON_PROPERTY, DEFAULT_PYTHON);
    Path dir;
    try {
      dir = Files.createTempDirectory("authgate-pysaml-idp");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      requireInstalled(dir, python);
      for (String script : SCRIPTS) {
        Path target = dir.resolve(script);
        Files.createDirectories(target.getParent());
        try (InputStream in = PySamlIdp.class.getResourceAsStream("/saml/" + script)) {
          if (in == null) {
            throw new IllegalStateException("saml/" + script + " is not on the test classpath");
          }
          Files.copy(in, target);
        }
      }
      return new PySamlIdp(dir, python, entityId);
    } catch (IOException e) {
      deleteTree(dir);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  private static void requireInstalled(Path dir, String python) {
    ProcessRunner.Result check;
    try {
      check = ProcessRunner.runAllowingFailure(dir, List.of(python, "-c", "import saml2, saml2.server"), "",
          ProcessRunner.DEFAULT_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(INSTALL_HINT + " (" + e.getMessage() + ")", e);
    }
    if (check.exitCode() != 0) {
      throw new IllegalStateException(INSTALL_HINT + " (" + python + ": " + check.stderr().strip() + ")");
    }
    try {
      ProcessRunner.run(dir, List.of("xmlsec1", "--version"), "", ProcessRunner.DEFAULT_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(INSTALL_HINT + " (" + e.getMessage() + ")", e);
    }
  }

  /** @return the IdP's entity ID */
  public String entityId() {
    return entityId;
  }

  /** @return the key pair the IdP signs with, the one in its metadata */
  public PemKeyPair signingKeys() {
    return signingKeys;
  }

  /** @return a second IdP's key pair, used by the {@code other-idp-key} variant */
  public PemKeyPair otherIdpKeys() {
    return otherIdpKeys;
  }

  /** @return a key pair in no metadata, used by the {@code foreign-key} variant */
  public PemKeyPair foreignKeys() {
    return foreignKeys;
  }

  /** @return the temporary directory holding the keys (other test files may go there too) */
  public Path directory() {
    return dir;
  }

  /**
   * The IdP's metadata, made by pysaml2: EntityDescriptor with the signing certificate and
   * Redirect-binding SSO ({@code <entityId>/sso}) and SLO ({@code <entityId>/slo}) endpoints.
   *
   * @return the EntityDescriptor XML
   */
  public String metadataXml() {
    return metadataXml(entityId, signingKeys);
  }

  /**
   * Metadata for any IdP entity, e.g. a second IdP signing with {@link #otherIdpKeys()}.
   *
   * @param idpEntityId the entity ID
   * @param keys its signing key pair
   * @return the EntityDescriptor XML
   */
  public String metadataXml(String idpEntityId, PemKeyPair keys) {
    JsonObject job = new JsonObject().put("metadata", true).put("idpEntityId", idpEntityId)
        .put("signingKey", keys.key().toString()).put("signingCert", keys.certificate().toString());
    return runScript(new JsonArray().add(job)).getJsonObject(0).getString("metadata");
  }

  /**
   * Writes {@link #metadataXml()} to a file in {@link #directory()}.
   *
   * @return the file
   */
  public Path writeMetadata() {
    try {
      return Files.writeString(dir.resolve("idp-metadata.xml"), metadataXml());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Produces one message.
   *
   * @param sp the SP it is addressed to
   * @param job what to produce
   * @return the output
   */
  public IdpOutput produce(TestSp sp, IdpJob job) {
    return produce(sp, List.of(job)).get(0);
  }

  /**
   * Produces every job's message in one run of idp.py.
   *
   * @param sp the SP they are addressed to
   * @param jobs what to produce
   * @return the outputs, in the jobs' order
   * @throws IllegalStateException with idp.py's stderr when it fails or times out
   */
  public List<IdpOutput> produce(TestSp sp, List<IdpJob> jobs) {
    JsonArray batch = new JsonArray();
    for (IdpJob job : jobs) {
      batch.add(commonFields(sp).mergeIn(job.toJson()));
    }
    JsonArray outputs = runScript(batch);
    List<IdpOutput> result = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      result.add(IdpOutput.fromJson(outputs.getJsonObject(i)));
    }
    return List.copyOf(result);
  }

  /**
   * Produces many messages with several idp.py processes at once (for benchmarks' thousands of
   * fresh responses): the jobs are split into {@code processes} contiguous slices.
   *
   * @param sp the SP they are addressed to
   * @param jobs what to produce
   * @param processes how many idp.py processes to run side by side (at least 1)
   * @return the outputs, in the jobs' order
   * @throws IllegalStateException with idp.py's stderr when a process fails or times out
   */
  public List<IdpOutput> produce(TestSp sp, List<IdpJob> jobs, int processes) {
    int slices = Math.max(1, Math.min(processes, jobs.size()));
    if (slices == 1) {
      return produce(sp, jobs);
    }
    ExecutorService pool = Executors.newFixedThreadPool(slices);
    try {
      List<Future<List<IdpOutput>>> parts = new ArrayList<>();
      int size = (jobs.size() + slices - 1) / slices;
      for (int from = 0; from < jobs.size(); from += size) {
        List<IdpJob> slice = jobs.subList(from, Math.min(jobs.size(), from + size));
        parts.add(pool.submit(() -> produce(sp, slice)));
      }
      List<IdpOutput> all = new ArrayList<>(jobs.size());
      for (Future<List<IdpOutput>> part : parts) {
        all.addAll(part.get());
      }
      return List.copyOf(all);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private JsonObject commonFields(TestSp sp) {
    JsonObject fields = new JsonObject()
        .put("idpEntityId", entityId)
        .put("signingKey", signingKeys.key().toString()).put("signingCert", signingKeys.certificate().toString())
        .put("otherKey", otherIdpKeys.key().toString()).put("otherCert", otherIdpKeys.certificate().toString())
        .put("foreignKey", foreignKeys.key().toString()).put("foreignCert", foreignKeys.certificate().toString())
        .put("spEntityId", sp.entityId()).put("acsUrl", sp.acsUrl()).put("sloUrl", sp.sloUrl());
    if (sp.encryptionCertificate() != null) {
      fields.put("spEncryptionCert", sp.encryptionCertificate().toString());
    }
    if (sp.metadataFile() != null) {
      fields.put("spMetadata", sp.metadataFile().toString());
    }
    return fields;
  }

  private JsonArray runScript(JsonArray jobs) {
    Duration timeout = BASE_TIMEOUT.plus(PER_JOB_TIMEOUT.multipliedBy(jobs.size()));
    String stdout = ProcessRunner.run(dir, List.of(python, dir.resolve("idp.py").toString()), jobs.encode(), timeout);
    return new JsonArray(stdout);
  }

  /** Deletes the temporary directory, keys included. */
  @Override
  public void close() {
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
