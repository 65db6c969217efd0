package io.authgate.server;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.Role;
import io.authgate.server.embedded.EmbeddedDirectory;
import java.util.StringJoiner;

/** The lines printed once the server is up: where to reach it and, in the demo, how to sign in. */
final class Banner {
  private Banner() {}

  static String of(AuthgateServer server) {
    AuthgateConfig config = server.config();
    String host = config.http().host().equals("0.0.0.0") ? "127.0.0.1" : config.http().host();
    String gateway = "http://" + host + ":" + config.http().port();
    StringJoiner out = new StringJoiner(System.lineSeparator());
    out.add("");
    out.add("authgate is running" + (server.embeddedDirectory().isPresent() ? " on its embedded default" : "")
        + " (roles: " + String.join(", ", config.roles().stream().map(Role::id).sorted().toList()) + ")");
    if (config.roles().contains(Role.GATEWAY)) {
      out.add("  Authenticate:  POST " + gateway + "/v1/auth");
      out.add("  Login page:    " + gateway + "/login");
      out.add("  Verify:        " + gateway + "/v1/verify (nginx: /v1/verify/auth-request, Traefik/Caddy: "
          + "/v1/verify/forward-auth)");
      out.add("  Health:        " + gateway + "/health/ready");
      out.add("  Metrics:       " + gateway + "/metrics");
    }
    if (config.roles().contains(Role.ADMIN_API)) {
      out.add("  Admin API:     http://" + host + ":" + config.http().adminPort() + "/admin/v1/docs (contract: "
          + "/admin/v1/openapi.yaml)");
      server.generatedBootstrapKey().ifPresent(key -> {
        out.add("  Admin API key: " + key.plaintext());
        out.add("                 (role admin; shown this once: only its hash is stored. Set admin.bootstrapKey"
            + " to choose one.)");
      });
    }
    server.embeddedDirectory().ifPresentOrElse(directory -> {
      out.add("  Directory:     " + directory.url() + " (in-memory demo, base " + EmbeddedDirectory.BASE_DN + ")");
      out.add("                 ldapsearch -H " + directory.url() + " -x -b " + EmbeddedDirectory.BASE_DN);
    }, () -> config.directories().forEach(d -> out.add("  Directory:     " + d.name() + " -> "
        + String.join(", ", d.urls()))));
    out.add("  Store:         " + server.embeddedStore()
        .map(s -> "embedded PostgreSQL, data in " + s.dataDirectory())
        .orElse("PostgreSQL at " + config.postgres().url().map(Banner::withoutPassword).orElse("?")));
    out.add("  Cache:         " + (config.redis().url().isPresent() ? "in-process + Redis" : "in-process"));
    if (server.embeddedDirectory().isPresent()) {
      out.add("  Demo users:");
      EmbeddedDirectory.DEMO_USERS.forEach(u -> out.add("                 " + u[0] + " / " + u[1] + "  (" + u[2] + ")"));
      out.add("  Try it:        curl -s -u alice:alice-password -X POST " + gateway + "/v1/auth");
    }
    out.add("Press Ctrl-C to stop.");
    return out.toString();
  }

  /** Hides the password of a connection URI. */
  static String withoutPassword(String uri) {
    return uri.replaceFirst("//([^:/@]+):[^@/]*@", "//$1:******@");
  }
}
