package io.authgate.gateway.http;

/** The HTTP header names and values the gateway reads and writes, in one place. */
public final class HeaderNames {
  private HeaderNames() {}

  /** Correlates a request with its log lines; echoed back. */
  public static final String REQUEST_ID = "X-Request-Id";
  /** The client chain as seen by proxies; believed only from trusted proxies. */
  public static final String FORWARDED_FOR = "X-Forwarded-For";
  /** Every gateway answer carries {@code no-store}: credentials and identities are never cached downstream. */
  public static final String CACHE_CONTROL = "Cache-Control";
  /** Value of {@link #CACHE_CONTROL}. */
  public static final String NO_STORE = "no-store";
  /** Credentials (Basic) or a session token (Bearer); HTTP allows it once per request. */
  public static final String AUTHORIZATION = "Authorization";
  /** Challenge sent with a 401 to clients that used Basic authentication. */
  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
  /** Value of {@link #WWW_AUTHENTICATE}. */
  public static final String BASIC_CHALLENGE = "Basic realm=\"authgate\", charset=\"UTF-8\"";
  /** Seconds a client should wait before retrying a 503. */
  public static final String RETRY_AFTER = "Retry-After";
  /** nginx auth_request: the URL the client asked for. */
  public static final String ORIGINAL_URL = "X-Original-URL";
  /** nginx auth_request: the method the client used. */
  public static final String ORIGINAL_METHOD = "X-Original-Method";
  /** Traefik/Caddy forward auth: the original method. */
  public static final String FORWARDED_METHOD = "X-Forwarded-Method";
  /** Traefik/Caddy forward auth: the original scheme. */
  public static final String FORWARDED_PROTO = "X-Forwarded-Proto";
  /** Traefik/Caddy forward auth: the original host. */
  public static final String FORWARDED_HOST = "X-Forwarded-Host";
  /** Traefik/Caddy forward auth: the original path and query. */
  public static final String FORWARDED_URI = "X-Forwarded-Uri";
  /** Where a browser should go: the login page. */
  public static final String LOCATION = "Location";
  /** What the client accepts; browsers ask for text/html. */
  public static final String ACCEPT = "Accept";
  /** The bearer scheme of Authorization. */
  public static final String BEARER = "Bearer ";
  /** Content types. */
  public static final String JSON = "application/json";
  /** RFC 9457 problem details. */
  public static final String PROBLEM_JSON = "application/problem+json";
  /** HTML pages. */
  public static final String HTML = "text/html; charset=utf-8";
  /** An HTML form post. */
  public static final String FORM = "application/x-www-form-urlencoded";
}
