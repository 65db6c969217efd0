package io.authgate.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractLoaderTest {
  private static Buffer contractFile() throws IOException {
    try (InputStream in = ContractLoaderTest.class.getClassLoader().getResourceAsStream(AdminPaths.CONTRACT_RESOURCE)) {
      return Buffer.buffer(in.readAllBytes());
    }
  }

  private static List<String> operationIds(JsonObject contract) {
    List<String> ids = new ArrayList<>();
    JsonObject paths = contract.getJsonObject("paths");
    paths.fieldNames().forEach(path -> paths.getJsonObject(path).forEach(e -> {
      if (e.getValue() instanceof JsonObject operation && operation.containsKey("operationId")) {
        ids.add(operation.getString("operationId"));
      }
    }));
    return ids;
  }

  @Test
  void theFileSaysProblemJsonAndApiKeysTheRouterCopyLeavesThemToTheApi() throws IOException {
    JsonObject file = ContractLoader.parse(contractFile());
    assertThat(file.getString("openapi")).startsWith("3.1");
    assertThat(file.getJsonArray("security")).isNotEmpty();
    assertThat(file.getJsonObject("components").getJsonObject("responses").getJsonObject("NotFound")
        .getJsonObject("content").fieldNames()).containsExactly("application/problem+json");

    JsonObject router = ContractLoader.forRouter(ContractLoader.parse(contractFile()));
    assertThat(router.containsKey("security")).isFalse();
    assertThat(router.getJsonObject("components").getJsonObject("responses").getJsonObject("NotFound")
        .containsKey("content")).isFalse();
    JsonObject list = router.getJsonObject("paths").getJsonObject("/users").getJsonObject("get");
    assertThat(list.getJsonObject("responses").getJsonObject("200").getJsonObject("content").fieldNames())
        .containsExactly("application/json");
    // Nothing else changes: the same operations with the same parameters.
    assertThat(operationIds(router)).isEqualTo(operationIds(file));
    assertThat(list.getJsonArray("parameters")).isEqualTo(file.getJsonObject("paths").getJsonObject("/users")
        .getJsonObject("get").getJsonArray("parameters"));
  }

  @Test
  void theContractHasTheOperationsOfThisPassAndNoOthers() throws IOException {
    assertThat(operationIds(ContractLoader.parse(contractFile()))).containsExactlyInAnyOrder(
        "listUsers", "createUser", "getUser", "patchUser", "transitionUser", "offboardUser", "listUserSessions",
        "revokeUserSessions", "revokeUserSession", "listAudit", "verifyAudit", "statsOverview",
        "listApiKeys", "createApiKey", "revokeApiKey",
        "listDirectories", "createDirectory", "getDirectory", "replaceDirectory", "deleteDirectory",
        "testDirectory", "directoryHealth",
        "listIdentityProviders", "createIdentityProvider", "getIdentityProvider", "patchIdentityProvider",
        "deleteIdentityProvider", "importIdentityProviderMetadata", "listSpKeys", "replaceSpKey",
        "syncDirectory", "listJobs", "getJob", "cancelJob");
  }
}
