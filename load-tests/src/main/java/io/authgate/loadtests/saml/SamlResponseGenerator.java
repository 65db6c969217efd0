package io.authgate.loadtests.saml;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.shibboleth.utilities.java.support.xml.BasicParserPool;
import org.opensaml.core.config.ConfigurationService;
import org.opensaml.core.config.InitializationService;
import org.opensaml.core.xml.config.XMLObjectProviderRegistry;
import org.opensaml.security.x509.BasicX509Credential;

/**
 * The SAML ACS benchmark's IdP, run by {@code bench.sh} in a JVM of its own before the load:
 *
 * <pre>
 * java -cp ... io.authgate.loadtests.saml.SamlResponseGenerator keys DIR IDP_ENTITY_ID [BITS]
 * java -cp ... io.authgate.loadtests.saml.SamlResponseGenerator responses DIR IDP_ENTITY_ID SP_ENTITY_ID ACS_URL \
 *     COUNT USERS OUT [THREADS [VALIDITY_MINUTES]]
 * </pre>
 *
 * <p>{@code keys} writes a fresh IdP key pair and certificate (RSA, default 2048 bits: what Okta,
 * Entra ID and Google Workspace sign with), the IdP's metadata ({@code idp-metadata.xml}) and an SP
 * key pair for the gateway's {@code saml.signingKey}, into {@code DIR}.
 *
 * <p>{@code responses} signs {@code COUNT} fresh responses with that IdP key on {@code THREADS}
 * threads (default: one per CPU) and writes them to {@code OUT}, one base64 {@code SAMLResponse}
 * a line: unsolicited (no InResponseTo), Destination and Recipient {@code ACS_URL}, Audience
 * {@code SP_ENTITY_ID}, IssueInstant now, valid for {@code VALIDITY_MINUTES} (default 30), each
 * with its own Response and Assertion IDs, for a fixed population of {@code USERS} users: line
 * {@code k} (from 0) signs in {@code samluser<1 + k mod USERS>@bench.local}, so the first
 * {@code USERS} lines are first sign-ins (just-in-time provisioning) and the rest find their
 * account. Prints {@code SAML-GENERATED count=... seconds=... per_second=... mean_bytes=...}.
 *
 * <p>A benchmark tool, not part of the gateway.
 */
public final class SamlResponseGenerator {
  private SamlResponseGenerator() {}

  /**
   * @param args {@code keys ...} or {@code responses ...}, as above
   * @throws Exception when the keys or responses cannot be made or written
   */
  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("keys")) {
      initializeOpenSaml();
      BenchIdp.create(Path.of(args[1]), args[2], args.length > 3 ? Integer.parseInt(args[3]) : 2048);
      System.out.println("SAML-KEYS " + Path.of(args[1]).resolve(BenchIdp.IDP_METADATA));
    } else if (args.length >= 8 && args[0].equals("responses")) {
      int threads = args.length > 8 ? Integer.parseInt(args[8]) : Runtime.getRuntime().availableProcessors();
      Duration validity = Duration.ofMinutes(args.length > 9 ? Long.parseLong(args[9]) : 30);
      initializeOpenSaml();
      generate(BenchIdp.readIdp(Path.of(args[1])), args[2], args[3], args[4], Integer.parseInt(args[5]),
          Integer.parseInt(args[6]), Path.of(args[7]), threads, validity);
    } else {
      System.err.println("usage: SamlResponseGenerator keys DIR IDP_ENTITY_ID [BITS]\n"
          + "       SamlResponseGenerator responses DIR IDP_ENTITY_ID SP_ENTITY_ID ACS_URL COUNT USERS OUT"
          + " [THREADS [VALIDITY_MINUTES]]");
      System.exit(2);
    }
  }

  private static void generate(BasicX509Credential key, String idpEntityId, String spEntityId, String acsUrl,
                               int count, int users, Path out, int threads, Duration validity) throws Exception {
    if (count < 0 || users < 1 || threads < 1) {
      throw new IllegalArgumentException("COUNT must be >= 0, USERS and THREADS >= 1");
    }
    long started = System.nanoTime();
    int chunk = (count + threads - 1) / threads;
    List<Path> parts = new ArrayList<>();
    List<Future<Long>> done = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        int from = Math.min(count, t * chunk);
        int to = Math.min(count, from + chunk);
        Path part = out.resolveSibling(out.getFileName() + ".part" + t);
        parts.add(part);
        done.add(pool.submit(() -> writePart(part, from, to, users,
            new SignedResponses(key, idpEntityId, spEntityId, acsUrl, validity))));
      }
      long bytes = 0;
      for (Future<Long> f : done) {
        bytes += f.get();
      }
      try (OutputStream target = Files.newOutputStream(out)) {
        for (Path part : parts) {
          Files.copy(part, target);
          Files.delete(part);
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(Locale.ROOT, "SAML-GENERATED count=%d seconds=%.1f per_second=%.0f mean_bytes=%d threads=%d%n",
          count, seconds, count / seconds, count == 0 ? 0 : bytes / count, threads);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes responses {@code from} (inclusive) to {@code to} (exclusive); @return the bytes of the responses */
  private static long writePart(Path part, int from, int to, int users, SignedResponses responses) {
    long bytes = 0;
    try (BufferedWriter w = Files.newBufferedWriter(part, StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int k = from; k < to; k++) {
        int user = 1 + k % users;
        String line = responses.next("samluser" + user + "@bench.local", "SAML User " + user);
        w.write(line);
        w.write('\n');
        bytes += line.length();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + part, e);
    }
    return bytes;
  }

  private static void initializeOpenSaml() throws Exception {
    InitializationService.initialize();
    BasicParserPool pool = new BasicParserPool();
    pool.setNamespaceAware(true);
    pool.initialize();
    ConfigurationService.get(XMLObjectProviderRegistry.class).setParserPool(pool);
  }
}
