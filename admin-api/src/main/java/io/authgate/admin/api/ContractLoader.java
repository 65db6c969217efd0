package io.authgate.admin.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Reads the contract for the router. The file is served as written; the router gets the same
 * contract less two things vertx-openapi 5.0 would handle its own way:
 * <ul>
 *   <li>response media types it cannot model ({@code application/problem+json}): responses are
 *       not validated, and the problems they describe are made by {@link Problems};</li>
 *   <li>the security requirements: vertx-openapi would want vertx-auth handlers for them; the API
 *       key is checked by {@link ApiKeyAuthentication}, before validation, on every operation.</li>
 * </ul>
 */
public final class ContractLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ContractLoader() {
  }

  /**
   * @param yaml the contract file's bytes
   * @return the contract as the router uses it, parsed and checked off the event loop
   */
  public static Future<OpenAPIContract> load(Vertx vertx, Buffer yaml) {
    return vertx.executeBlocking(() -> forRouter(parse(yaml)), false)
        .compose(json -> OpenAPIContract.from(vertx, json));
  }

  static JsonObject parse(Buffer yaml) {
    try {
      return new JsonObject(YAML.readValue(yaml.getBytes(), new TypeReference<Map<String, Object>>() { }));
    } catch (IOException e) {
      throw new UncheckedIOException("the contract is not YAML", e);
    }
  }

  /** @return the contract without security requirements and the response media types vertx-openapi
   *     refuses; the argument is changed */
  static JsonObject forRouter(JsonObject contract) {
    contract.remove("security");
    JsonObject paths = contract.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String key : item.fieldNames()) {
        if (item.getValue(key) instanceof JsonObject operation && operation.containsKey("responses")) {
          operation.remove("security");
          operation.getJsonObject("responses").forEach(e -> dropUnsupported((JsonObject) e.getValue()));
        }
      }
    }
    JsonObject responses = contract.getJsonObject("components", new JsonObject())
        .getJsonObject("responses", new JsonObject());
    responses.forEach(e -> dropUnsupported((JsonObject) e.getValue()));
    return contract;
  }

  private static void dropUnsupported(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content != null) {
      content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type)
          && !MediaType.isVendorSpecificJson(type));
      if (content.isEmpty()) {
        response.remove("content");
      }
    }
  }
}
