package io.authgate.gateway.verify;

/**
 * The request a proxy asks about: what the client sent to the proxy, not the verify request
 * itself. Immutable.
 *
 * @param method the HTTP method, upper case
 * @param scheme {@code http} or {@code https}
 * @param host the host, lower case, without port
 * @param authority the host with its port when one was given, as the client wrote it
 * @param pathAndQuery the path and query string, as the client sent them
 */
public record OriginalRequest(String method, String scheme, String host, String authority, String pathAndQuery) {

  /** @return the URL the client asked for, to come back to after signing in */
  public String url() {
    return scheme + "://" + authority + pathAndQuery;
  }

  /** @return the path without the query string */
  public String path() {
    int question = pathAndQuery.indexOf('?');
    return question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
  }
}
