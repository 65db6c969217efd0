package io.authgate.gateway.saml.idp;

import io.vertx.core.json.JsonObject;

/**
 * What the test IdP produced for one job. Immutable.
 *
 * @param variant the job's variant
 * @param xml the message as XML (for logout variants: before DEFLATE)
 * @param samlResponse the base64 {@code SAMLResponse} form field of the POST binding, or null for logout variants
 * @param url the Redirect-binding URL (SP SLO URL plus signed query), or null for POST variants
 * @param query the Redirect-binding query string ({@code SAMLRequest} or {@code SAMLResponse}, then
 *     {@code RelayState} when given, {@code SigAlg}, {@code Signature}), or null
 */
public record IdpOutput(String variant, String xml, String samlResponse, String url, String query) {

  static IdpOutput fromJson(JsonObject json) {
    return new IdpOutput(json.getString("variant"), json.getString("xml"), json.getString("samlResponse"),
        json.getString("url"), json.getString("query"));
  }
}
