package io.authgate.gateway.saml.idp;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One message for the test IdP to produce: a variant (see {@code saml/README.md} in the test
 * resources) and the subject it is about. Immutable; the {@code with*} methods return copies.
 *
 * @param variant e.g. {@code valid-signed-assertion}, {@code xsw-wrap}, {@code logout-request}
 * @param nameId the subject's NameID
 * @param attributes attribute name to values, sent with exactly these names
 * @param extra any other job field of idp.py ({@code inResponseTo}, {@code sessionIndex}, offsets, {@code sign}, ...)
 */
public record IdpJob(String variant, String nameId, Map<String, List<String>> attributes, JsonObject extra) {

  /** Copies the maps so the job cannot change after it is made. */
  public IdpJob {
    attributes = Map.copyOf(attributes);
    extra = extra.copy();
  }

  /**
   * @param variant the variant name
   * @param nameId the subject
   * @return a job with no attributes and no extra fields
   */
  public static IdpJob of(String variant, String nameId) {
    return new IdpJob(variant, nameId, Map.of(), new JsonObject());
  }

  /**
   * @param name an attribute name as the IdP sends it
   * @param values its values
   * @return a copy with that attribute set
   */
  public IdpJob withAttribute(String name, String... values) {
    Map<String, List<String>> copy = new java.util.HashMap<>(attributes);
    copy.put(name, List.of(values));
    return new IdpJob(variant, nameId, copy, extra);
  }

  /**
   * @param requestId the AuthnRequest (or LogoutRequest) ID answered
   * @return a copy with {@code inResponseTo} set
   */
  public IdpJob withInResponseTo(String requestId) {
    return with("inResponseTo", requestId);
  }

  /**
   * @param field an idp.py job field
   * @param value its value (a String, Number or Boolean)
   * @return a copy with that field set
   */
  public IdpJob with(String field, Object value) {
    return new IdpJob(variant, nameId, attributes, extra.copy().put(field, value));
  }

  /** @return the job as idp.py reads it, without the IdP's and SP's own fields */
  JsonObject toJson() {
    JsonObject attributesJson = new JsonObject();
    attributes.forEach((name, values) -> attributesJson.put(name, values));
    return extra.copy().put("variant", variant).put("nameId", nameId).put("attributes", attributesJson);
  }
}
