package io.authgate.gateway.saml;

import java.util.Set;

/** Paths, algorithm identifiers and limits of the SAML service provider, in one place. */
public final class SamlConstants {
  /** SP metadata path, relative to the public base URL. */
  public static final String METADATA_PATH = "/saml/metadata";
  /** Assertion consumer service path (POST binding). */
  public static final String ACS_PATH = "/saml/acs";
  /** Single logout path (Redirect binding). */
  public static final String SLO_PATH = "/saml/slo";
  /** Per-IdP login path; {@code {idp}} is the IdP's configured id. */
  public static final String LOGIN_PATH = "/saml/{idp}/login";

  /** The Redirect binding. */
  public static final String REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
  /** The POST binding. */
  public static final String POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
  /** The bearer subject confirmation method. */
  public static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

  /** Signature algorithm the SP signs with. */
  public static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
  /** The only canonicalization accepted (exclusive, without comments). */
  public static final String EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
  /** The enveloped-signature transform. */
  public static final String ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

  /** Signature algorithms accepted from IdPs (SHA-2 family only). */
  public static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
      RSA_SHA256,
      "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
      "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
      "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
      "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
      "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512");
  /** Digest algorithms accepted in signature references. */
  public static final Set<String> DIGEST_ALGORITHMS = Set.of(
      "http://www.w3.org/2001/04/xmlenc#sha256",
      "http://www.w3.org/2001/04/xmldsig-more#sha384",
      "http://www.w3.org/2001/04/xmlenc#sha512");
  /** Key transport algorithms accepted for encrypted assertions (RSA-OAEP; never RSA 1.5). */
  public static final Set<String> KEY_TRANSPORT_ALGORITHMS = Set.of(
      "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
      "http://www.w3.org/2009/xmlenc11#rsa-oaep");
  /** Data encryption algorithms accepted for encrypted assertions. */
  public static final Set<String> DATA_ENCRYPTION_ALGORITHMS = Set.of(
      "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
      "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
      "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
      "http://www.w3.org/2009/xmlenc11#aes128-gcm",
      "http://www.w3.org/2009/xmlenc11#aes192-gcm",
      "http://www.w3.org/2009/xmlenc11#aes256-gcm");
  /** Digests accepted inside RSA-OAEP (SHA-1 is the OAEP default and is not a signature digest). */
  public static final Set<String> OAEP_DIGEST_ALGORITHMS = Set.of(
      "http://www.w3.org/2000/09/xmldsig#sha1",
      "http://www.w3.org/2001/04/xmlenc#sha256",
      "http://www.w3.org/2001/04/xmlenc#sha512");

  /** Largest inflated Redirect-binding message accepted, against deflate bombs. */
  public static final int MAX_INFLATED_BYTES = 128 * 1024;

  private SamlConstants() {}
}
