package io.authgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/proxies.md} shows exactly the nginx and Caddy configurations {@link ProxyIT} runs, so
 * what operators copy is what was tested. Runs from the module directory, as Maven runs tests.
 */
class ProxyDocsTest {
  private static String docs() throws IOException {
    return Files.readString(Path.of("..", "docs", "proxies.md"));
  }

  @Test
  void theNginxConfigurationIsTheTestedOne() throws IOException {
    assertThat(docs()).contains("```nginx\n" + Nginx.SITE + "```\n");
  }

  @Test
  void theCaddyConfigurationIsTheTestedOne() throws IOException {
    assertThat(docs()).contains("```caddy\n" + Caddy.SITE + "```\n");
  }
}
