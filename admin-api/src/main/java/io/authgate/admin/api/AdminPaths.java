package io.authgate.admin.api;

/** The admin API's paths, header names and media types, in one place. */
public final class AdminPaths {
  /** Where every admin API path starts; the contract's server URL. */
  public static final String BASE = "/admin/v1";
  /** The contract, served verbatim. */
  public static final String CONTRACT = BASE + "/openapi.yaml";
  /** The Swagger UI page. */
  public static final String DOCS = BASE + "/docs";
  /** Swagger UI's own files and the page's script, from the webjar. */
  public static final String DOCS_ASSETS = DOCS + "/assets/";
  /** The users collection. */
  public static final String USERS = BASE + "/users";
  /** The classpath resource of the contract. */
  public static final String CONTRACT_RESOURCE = "openapi/admin-v1.yaml";

  /** The header carrying an API key when {@code Authorization} does not. */
  public static final String API_KEY_HEADER = "X-API-Key";
  /** The scheme of an API key in {@code Authorization}. */
  public static final String BEARER = "Bearer";
  /** The header of a 401 saying what to send. */
  public static final String WWW_AUTHENTICATE_HEADER = "WWW-Authenticate";
  /** What a 401 asks for. */
  public static final String WWW_AUTHENTICATE = "Bearer realm=\"authgate-admin\"";

  /** RFC 9457's media type. */
  public static final String PROBLEM_JSON = "application/problem+json";
  /** Plain JSON. */
  public static final String JSON = "application/json";
  /** The contract's media type. */
  public static final String YAML = "application/yaml";

  private AdminPaths() {
  }
}
