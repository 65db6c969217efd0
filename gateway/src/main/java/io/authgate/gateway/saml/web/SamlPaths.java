package io.authgate.gateway.saml.web;

/** The SAML endpoints' paths, parameters and the browser-binding cookie. */
final class SamlPaths {
  /** SP metadata. */
  static final String METADATA = "/saml/metadata";
  /** SP-initiated login at one IdP: {@code /saml/{idp}/login?rd=URL}. */
  static final String LOGIN = "/saml/:idp/login";
  /** The assertion consumer service (POST binding). */
  static final String ACS = "/saml/acs";
  /** Single logout (Redirect binding): IdP LogoutRequests, and LogoutResponses to ours. */
  static final String SLO = "/saml/slo";
  /** SP-initiated single logout of the browser's session. */
  static final String LOGOUT = "/saml/logout";
  /** The cookie binding pending AuthnRequests to the browser that made them. */
  static final String BROWSER_COOKIE = "authgate_saml";
  static final String SAML_RESPONSE = "SAMLResponse";
  static final String SAML_REQUEST = "SAMLRequest";
  static final String RELAY_STATE = "RelayState";
  static final String RETURN_TO = "rd";
  static final String METADATA_TYPE = "application/samlmetadata+xml";

  private SamlPaths() {}
}
