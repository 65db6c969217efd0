package io.authgate.gateway.proxy;

import io.authgate.core.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}, or {@code AUTHGATE_TEST_NGINX}) in front of an
 * application, asking authgate through {@code auth_request}: {@link #SITE} is the configuration
 * {@code docs/proxies.md} documents, word for word, with its placeholders filled in. It runs in
 * the foreground on a free loopback port with everything (configuration, pid, logs, temporary
 * files) in a temporary directory; nothing is written under {@code /var} or {@code /etc}.
 */
final class Nginx implements AutoCloseable {
  private static final String NGINX = System.getenv().getOrDefault("AUTHGATE_TEST_NGINX", "/usr/sbin/nginx");

  /**
   * The {@code http}-level configuration: {@code __LISTEN__} is the address nginx listens on,
   * {@code __SERVER_NAME__} the application's host name, {@code __AUTHGATE__} the gateway's
   * {@code host:port} and {@code __APP__} the application's.
   */
  static final String SITE = """
      upstream authgate {
          server __AUTHGATE__;
      }

      server {
          listen __LISTEN__;
          server_name __SERVER_NAME__;

          location / {
              # Ask authgate first; 2xx lets the request through, 401 and 403 refuse it.
              auth_request /authgate-verify;
              auth_request_set $authgate_user $upstream_http_remote_user;
              auth_request_set $authgate_groups $upstream_http_remote_groups;
              auth_request_set $authgate_email $upstream_http_remote_email;
              auth_request_set $authgate_name $upstream_http_remote_name;
              auth_request_set $authgate_location $upstream_http_location;
              error_page 401 = @authgate-login;

              proxy_pass http://__APP__;
              proxy_set_header Host $http_host;
              proxy_set_header X-Forwarded-For $remote_addr;
              proxy_set_header X-Forwarded-Proto $scheme;
              # Who the user is comes from authgate alone: these replace whatever the client sent,
              # and an empty value (a bypass rule) removes the header altogether.
              proxy_set_header Remote-User $authgate_user;
              proxy_set_header Remote-Groups $authgate_groups;
              proxy_set_header Remote-Email $authgate_email;
              proxy_set_header Remote-Name $authgate_name;
          }

          location = /authgate-verify {
              internal;
              proxy_pass http://authgate/v1/verify/auth-request;
              proxy_pass_request_body off;
              proxy_set_header Content-Length "";
              proxy_set_header X-Original-URL $scheme://$http_host$request_uri;
              proxy_set_header X-Original-Method $request_method;
              proxy_set_header X-Forwarded-For $remote_addr;
          }

          # No valid identity: browsers go to the login page, API clients get the Basic challenge
          # (nginx passes on the WWW-Authenticate header of authgate's 401 by itself).
          location @authgate-login {
              if ($authgate_location) {
                  return 302 $authgate_location;
              }
              return 401;
          }
      }
      """;

  private final ProxyProcess process;

  private Nginx(ProxyProcess process) {
    this.process = process;
  }

  /**
   * @param gatewayPort the gateway's port on 127.0.0.1
   * @param appPort the application's port on 127.0.0.1
   * @return nginx, listening
   */
  static Nginx start(int gatewayPort, int appPort) {
    int port = FreePorts.next();
    Path dir = ProxyProcess.newDirectory("authgate-nginx");
    String site = SITE.replace("__LISTEN__", "127.0.0.1:" + port).replace("__SERVER_NAME__", "_")
        .replace("__AUTHGATE__", "127.0.0.1:" + gatewayPort).replace("__APP__", "127.0.0.1:" + appPort);
    String main = """
        worker_processes 1;
        error_log %1$s/error.log info;
        events {
            worker_connections 256;
        }
        http {
            access_log %1$s/access.log;
            client_body_temp_path %1$s/client_body;
            proxy_temp_path %1$s/proxy;
            fastcgi_temp_path %1$s/fastcgi;
            uwsgi_temp_path %1$s/uwsgi;
            scgi_temp_path %1$s/scgi;
            default_type application/octet-stream;
            include %1$s/site.conf;
        }
        """.formatted(dir);
    try {
      Files.writeString(dir.resolve("site.conf"), site);
      Files.writeString(dir.resolve("nginx.conf"), main);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Nginx(ProxyProcess.start("nginx", dir, port, List.of(NGINX, "-p", dir.toString(),
        "-e", dir.resolve("error.log").toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";"), Map.of()));
  }

  /** @return the port it listens on, 127.0.0.1 */
  int port() {
    return process.port();
  }

  /** @return its error and access logs */
  String logs() {
    return process.logs();
  }

  @Override
  public void close() {
    process.close();
  }
}
