package io.authgate.admin.docs;

import io.authgate.admin.api.AdminPaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The contract and its Swagger UI page, open to anyone who reaches the admin port (they describe
 * the API and hold no data): the contract file served byte for byte at {@link AdminPaths#CONTRACT},
 * the page at {@link AdminPaths#DOCS} with Swagger UI's files from the {@code org.webjars:swagger-ui}
 * jar, so the page needs no CDN.
 */
public final class ApiDocs {
  /** Written by the build from the pom's swagger-ui version. */
  private static final String WEBJAR_PROPERTIES = "io/authgate/admin/docs/swagger-ui.properties";
  private static final String WEBJAR_ROOT = "META-INF/resources/webjars/swagger-ui/";
  private static final String PAGE = "swagger/index.html";
  private static final String SCRIPT = "swagger/init.js";
  /** Swagger UI styles its elements inline and draws icons from data: URIs; nothing leaves this server. */
  private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

  private ApiDocs() {
  }

  /**
   * Reads the contract and finds the webjar's version, off the event loop, then adds the routes.
   *
   * @return the contract's bytes, once the routes are in place
   */
  public static Future<Buffer> mount(Vertx vertx, Router router) {
    Future<String> version = vertx.executeBlocking(ApiDocs::webjarVersion, false);
    Future<Buffer> contract = vertx.fileSystem().readFile(AdminPaths.CONTRACT_RESOURCE);
    return Future.all(version, contract).map(all -> {
      Buffer yaml = contract.result();
      router.get(AdminPaths.CONTRACT).handler(ctx -> ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, AdminPaths.YAML + "; charset=utf-8").end(yaml));
      router.get(AdminPaths.DOCS).handler(ctx -> ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", CSP).sendFile(PAGE));
      router.get(AdminPaths.DOCS + "/init.js").handler(ctx -> ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8").sendFile(SCRIPT));
      router.get(AdminPaths.DOCS_ASSETS + "*").handler(StaticHandler.create(WEBJAR_ROOT + version.result())
          .setDirectoryListing(false));
      return yaml;
    });
  }

  private static String webjarVersion() {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(WEBJAR_PROPERTIES + " is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
