package io.authgate.gateway.saml;

import io.authgate.core.config.IdpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one IdP's metadata in an {@link IdpRegistry}: read once from a file or inline XML, or
 * fetched from a URL with the Vert.x WebClient every {@code metadataRefresh}. Parsing runs on a
 * worker thread. A failed refresh keeps the last good copy and logs why. Thread-safe.
 */
public final class MetadataSource {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataSource.class);
  /** Largest metadata document fetched. */
  static final int MAX_METADATA_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final IdpConfig config;
  private final IdpRegistry registry;
  private final WebClient client;
  private final AtomicReference<Long> timer = new AtomicReference<>();

  private MetadataSource(Vertx vertx, IdpConfig config, IdpRegistry registry, WebClient client) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.client = client;
  }

  /**
   * Loads the IdP's metadata once and, for a URL, schedules refreshes.
   *
   * @param vertx the Vert.x instance
   * @param config the IdP
   * @param registry where the metadata goes
   * @param client the HTTP client for URL metadata; may be null when the metadata is not a URL
   * @return the source once the first copy is in the registry; failed when it cannot be loaded
   */
  public static Future<MetadataSource> start(Vertx vertx, IdpConfig config, IdpRegistry registry, WebClient client) {
    MetadataSource source = new MetadataSource(vertx, config, registry, client);
    return source.load().map(v -> {
      if (config.metadataUrl().isPresent()) {
        source.timer.set(vertx.setPeriodic(config.metadataRefresh().toMillis(), id -> source.refresh()));
      }
      return source;
    });
  }

  /** Stops refreshing. */
  public void stop() {
    Long id = timer.getAndSet(null);
    if (id != null) {
      vertx.cancelTimer(id);
    }
  }

  /** @return completes after one fetch-and-parse attempt; failed (last good copy kept) on error */
  public Future<Void> refresh() {
    return load().onFailure(e -> LOG.warn("SAML metadata of IdP {} not refreshed, keeping the last good copy: {}",
        config.id(), e.getMessage()));
  }

  private Future<Void> load() {
    return text().compose(xml -> vertx.executeBlocking(() -> IdpMetadataParser.parse(xml), false))
        .map(metadata -> {
          registry.put(config, metadata);
          LOG.info("SAML metadata of IdP {} loaded: entity {}, {} signing certificate(s)", config.id(),
              metadata.entityId(), metadata.signingCertificates().size());
          return (Void) null;
        })
        .recover(e -> Future.failedFuture(new IllegalArgumentException(
            "IdP " + config.id() + ": " + e.getMessage(), e)));
  }

  private Future<String> text() {
    if (config.metadataXml().isPresent()) {
      return Future.succeededFuture(config.metadataXml().get());
    }
    if (config.metadataFile().isPresent()) {
      return vertx.executeBlocking(() -> Files.readString(config.metadataFile().get(), StandardCharsets.UTF_8), false);
    }
    String url = config.metadataUrl().orElseThrow().toString();
    return client.getAbs(url).timeout(30_000).send().compose(MetadataSource::body);
  }

  private static Future<String> body(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture("metadata URL answered HTTP " + response.statusCode());
    }
    Buffer body = response.body();
    if (body == null || body.length() == 0 || body.length() > MAX_METADATA_BYTES) {
      return Future.failedFuture("metadata URL answered an empty or oversized body");
    }
    return Future.succeededFuture(body.toString(StandardCharsets.UTF_8));
  }
}
