package io.authgate.gateway.saml;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The facts taken from a verified assertion. Immutable.
 *
 * @param idpId the configured id of the IdP that issued it
 * @param issuer the IdP's entity ID
 * @param nameId the subject's NameID value
 * @param nameIdFormat the NameID format, or null when the IdP gave none
 * @param sessionIndex the IdP session index, for single logout; null when absent
 * @param assertionId the assertion's ID, for the caller's replay cache
 * @param notOnOrAfter the assertion may not be accepted from this instant on: keep its ID until then
 * @param inResponseTo the AuthnRequest it answers, or null when unsolicited
 * @param attributes attribute name to values, in document order
 */
public record ValidatedAssertion(String idpId, String issuer, String nameId, String nameIdFormat,
                                 String sessionIndex, String assertionId, Instant notOnOrAfter,
                                 String inResponseTo, Map<String, List<String>> attributes) {
  /** Copies the attributes so the record stays immutable. */
  public ValidatedAssertion {
    attributes = Map.copyOf(attributes);
  }

  /** @return the first value of an attribute, or null */
  public String first(String attribute) {
    List<String> values = attributes.get(attribute);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
