package io.authgate.admin.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.ValidatableRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Extracts a request for validation as {@link RequestExtractor#withBodyHandler()} does, with each
 * query value decoded exactly once. vertx-openapi 5.0 URL-decodes the query parameters Vert.x has
 * already decoded, so {@code q=100%25} was refused and {@code q=a%2Bb} searched for {@code a b};
 * it is handed the parameters encoded again, so its decoding restores what was sent.
 */
final class DecodedOnceExtractor implements RequestExtractor {

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext ctx, Operation operation) {
    HttpServerRequestInternal request = (HttpServerRequestInternal) ctx.request();
    return RequestUtils.extract(new HttpServerRequestWrapper(request) {
      @Override
      public MultiMap params(boolean semicolonIsNormalChar) {
        MultiMap encoded = MultiMap.caseInsensitiveMultiMap();
        request.params(semicolonIsNormalChar).forEach((name, value) ->
            encoded.add(name, URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return encoded;
      }
    }, operation, () -> Future.succeededFuture(ctx.body().buffer()));
  }
}
