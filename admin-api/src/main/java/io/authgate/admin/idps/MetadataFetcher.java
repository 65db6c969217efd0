package io.authgate.admin.idps;

import io.authgate.core.idps.MetadataCheck;
import io.authgate.core.idps.MetadataException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;

/**
 * Reads an IdP's metadata for the admin API: fetched from its URL with a time and size limit,
 * and checked ({@link MetadataCheck}) on a worker thread. Every failure is a
 * {@link MetadataException} saying what is wrong. Thread-safe.
 */
final class MetadataFetcher {
  /** The largest metadata document fetched. */
  static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final int TIMEOUT_MILLIS = 15_000;

  private final Vertx vertx;
  private final HttpClient client;

  MetadataFetcher(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(TIMEOUT_MILLIS));
  }

  /** @return the document at {@code url}; failed with {@link MetadataException} when it cannot be had */
  Future<String> fetch(String url) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setFollowRedirects(true).setIdleTimeout(TIMEOUT_MILLIS);
    return client.request(options)
        .compose(request -> request.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture(new MetadataException("the metadata URL answered HTTP " + response.statusCode()));
          }
          String length = response.getHeader("content-length");
          if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BYTES) {
            return Future.failedFuture(new MetadataException("the metadata URL answered more than 4 MiB"));
          }
          return response.body().compose(body -> body.length() == 0 || body.length() > MAX_BYTES
              ? Future.failedFuture(new MetadataException("the metadata URL answered an empty or oversized body"))
              : Future.succeededFuture(body.toString(StandardCharsets.UTF_8)));
        })
        .recover(e -> Future.failedFuture(e instanceof MetadataException ? e
            : new MetadataException("the metadata URL could not be fetched: " + e.getMessage())));
  }

  /** @return what the metadata says, checked off the event loop */
  Future<MetadataCheck.Checked> check(String xml) {
    return vertx.executeBlocking(() -> MetadataCheck.check(xml), false);
  }
}
