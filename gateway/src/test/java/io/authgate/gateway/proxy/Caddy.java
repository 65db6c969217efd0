package io.authgate.gateway.proxy;

import io.authgate.core.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Caddy ({@code /usr/bin/caddy}, or {@code AUTHGATE_TEST_CADDY}) in front of an
 * application, asking authgate through {@code forward_auth}: {@link #SITE} is the site block
 * {@code docs/proxies.md} documents, word for word, with its placeholders filled in. It runs in
 * the foreground ({@code caddy run}) on a free loopback port, without its admin endpoint or
 * automatic HTTPS, with its storage, configuration and home directories in a temporary directory.
 */
final class Caddy implements AutoCloseable {
  private static final String CADDY = System.getenv().getOrDefault("AUTHGATE_TEST_CADDY", "/usr/bin/caddy");

  /**
   * The site block, indented with tabs as {@code caddy fmt} wants: {@code __SITE__} is the site
   * address, {@code __AUTHGATE__} the gateway's {@code host:port} and {@code __APP__} the
   * application's. The tests use {@code http://:PORT}, any host, bound to loopback by the global
   * {@code default_bind}.
   */
  static final String SITE = """
      __SITE__ {
          # route keeps these in the order written (request_header would otherwise run after forward_auth).
          route {
              # Who the user is comes from authgate alone: drop whatever the client sent, including
              # the underscore spellings that CGI-style applications read as the same variable.
              request_header -Remote-*
              request_header -Remote_*
              forward_auth __AUTHGATE__ {
                  uri /v1/verify/forward-auth
                  copy_headers Remote-User Remote-Groups Remote-Email Remote-Name
              }
              # Caddy before 2.10 sets a header authgate did not send (a bypass rule, a user without
              # an email address) to the literal text of its placeholder: remove those.
              request_header @no-user -Remote-User
              request_header @no-groups -Remote-Groups
              request_header @no-email -Remote-Email
              request_header @no-name -Remote-Name
              reverse_proxy __APP__
          }
          @no-user header Remote-User *http.reverse_proxy.header.*
          @no-groups header Remote-Groups *http.reverse_proxy.header.*
          @no-email header Remote-Email *http.reverse_proxy.header.*
          @no-name header Remote-Name *http.reverse_proxy.header.*
      }
      """.replace("    ", "\t");

  private final ProxyProcess process;

  private Caddy(ProxyProcess process) {
    this.process = process;
  }

  /**
   * @param gatewayPort the gateway's port on 127.0.0.1
   * @param appPort the application's port on 127.0.0.1
   * @return Caddy, listening
   */
  static Caddy start(int gatewayPort, int appPort) {
    int port = FreePorts.next();
    Path dir = ProxyProcess.newDirectory("authgate-caddy");
    String global = """
        {
            admin off
            auto_https off
            default_bind 127.0.0.1
            grace_period 2s
            storage file_system %s
        }

        """.replace("    ", "\t").formatted(dir.resolve("storage"));
    String site = SITE.replace("__SITE__", "http://:" + port)
        .replace("__AUTHGATE__", "127.0.0.1:" + gatewayPort).replace("__APP__", "127.0.0.1:" + appPort);
    try {
      Files.writeString(dir.resolve("Caddyfile"), global + site);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Caddy(ProxyProcess.start("caddy", dir, port,
        List.of(CADDY, "run", "--config", dir.resolve("Caddyfile").toString(), "--adapter", "caddyfile"),
        Map.of("HOME", dir.toString(), "XDG_DATA_HOME", dir.resolve("data").toString(),
            "XDG_CONFIG_HOME", dir.resolve("config").toString())));
  }

  /** @return the port it listens on, 127.0.0.1 */
  int port() {
    return process.port();
  }

  /** @return its log */
  String logs() {
    return process.logs();
  }

  @Override
  public void close() {
    process.close();
  }
}
