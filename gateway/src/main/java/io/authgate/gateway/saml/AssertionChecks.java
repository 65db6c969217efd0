package io.authgate.gateway.saml;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;

/**
 * The checks on a verified assertion's content: issuer, audience, bearer subject confirmation
 * (recipient, time, InResponseTo), conditions and session times; then the facts the SP uses.
 * Stateless and thread-safe.
 */
final class AssertionChecks {
  private AssertionChecks() {}

  static ValidatedAssertion check(Assertion a, Idp idp, ServiceProvider sp, Expectations exp) {
    Instant now = exp.now();
    Duration skew = sp.clockSkew();
    if (a.getVersion() != SAMLVersion.VERSION_20 || a.getID() == null) {
      throw new SamlRejected(Reason.MALFORMED, "assertion is not SAML 2.0 or has no ID");
    }
    issuer(a.getIssuer(), idp, "assertion");
    if (a.getSubject() == null || a.getSubject().getNameID() == null) {
      throw new SamlRejected(Reason.MALFORMED, "assertion has no (plain) NameID");
    }
    NameID nameId = a.getSubject().getNameID();
    if (nameId.getValue() == null || nameId.getValue().isBlank()) {
      throw new SamlRejected(Reason.MALFORMED, "empty NameID");
    }
    Instant confirmedUntil = bearer(a.getSubject().getSubjectConfirmations(), sp, exp);
    Instant notOnOrAfter = conditions(a.getConditions(), sp, now, skew);
    if (a.getAuthnStatements().isEmpty()) {
      throw new SamlRejected(Reason.MALFORMED, "assertion has no AuthnStatement");
    }
    AuthnStatement authn = a.getAuthnStatements().get(0);
    if (authn.getSessionNotOnOrAfter() != null && !now.isBefore(authn.getSessionNotOnOrAfter().plus(skew))) {
      throw new SamlRejected(Reason.TIME, "IdP session ended at " + authn.getSessionNotOnOrAfter());
    }
    Instant until = notOnOrAfter == null || confirmedUntil.isBefore(notOnOrAfter) ? confirmedUntil : notOnOrAfter;
    return new ValidatedAssertion(idp.id(), idp.metadata().entityId(), nameId.getValue().trim(),
        nameId.getFormat(), authn.getSessionIndex(), a.getID(), until.plus(skew), exp.requestId(),
        attributes(a.getAttributeStatements()));
  }

  /** Refuses an Issuer that is missing or not the IdP's entity ID. */
  static void issuer(Issuer issuer, Idp idp, String what) {
    if (issuer == null || !idp.metadata().entityId().equals(issuer.getValue())) {
      throw new SamlRejected(Reason.ISSUER, what + " issuer " + (issuer == null ? "missing" : issuer.getValue())
          + " is not " + idp.metadata().entityId());
    }
    if (issuer.getFormat() != null && !NameIDType.ENTITY.equals(issuer.getFormat())) {
      throw new SamlRejected(Reason.ISSUER, what + " issuer format " + issuer.getFormat());
    }
  }

  /** @return the NotOnOrAfter of the first bearer confirmation that passes; else the first failure */
  private static Instant bearer(List<SubjectConfirmation> confirmations, ServiceProvider sp, Expectations exp) {
    SamlRejected first = null;
    for (SubjectConfirmation sc : confirmations) {
      if (!SamlConstants.BEARER.equals(sc.getMethod())) {
        continue;
      }
      try {
        return confirmation(sc.getSubjectConfirmationData(), sp, exp);
      } catch (SamlRejected e) {
        first = first == null ? e : first;
      }
    }
    throw first != null ? first : new SamlRejected(Reason.RECIPIENT, "no bearer SubjectConfirmation");
  }

  private static Instant confirmation(SubjectConfirmationData d, ServiceProvider sp, Expectations exp) {
    if (d == null || !sp.acsUrl().equals(d.getRecipient())) {
      throw new SamlRejected(Reason.RECIPIENT, "Recipient " + (d == null ? "missing" : d.getRecipient()));
    }
    Instant now = exp.now();
    if (d.getNotOnOrAfter() == null || !now.isBefore(d.getNotOnOrAfter().plus(sp.clockSkew()))) {
      throw new SamlRejected(Reason.TIME, "SubjectConfirmationData NotOnOrAfter " + d.getNotOnOrAfter());
    }
    if (d.getNotBefore() != null && now.plus(sp.clockSkew()).isBefore(d.getNotBefore())) {
      throw new SamlRejected(Reason.TIME, "SubjectConfirmationData NotBefore " + d.getNotBefore());
    }
    // Bound inside the signed assertion: an unsolicited assertion must not pass as an answer.
    if (!Objects.equals(exp.requestId(), d.getInResponseTo())) {
      throw new SamlRejected(Reason.IN_RESPONSE_TO, "SubjectConfirmationData InResponseTo " + d.getInResponseTo());
    }
    return d.getNotOnOrAfter();
  }

  private static Instant conditions(Conditions c, ServiceProvider sp, Instant now, Duration skew) {
    if (c == null) {
      throw new SamlRejected(Reason.AUDIENCE, "assertion has no Conditions");
    }
    if (c.getNotBefore() != null && now.plus(skew).isBefore(c.getNotBefore())) {
      throw new SamlRejected(Reason.TIME, "not valid before " + c.getNotBefore());
    }
    if (c.getNotOnOrAfter() != null && !now.isBefore(c.getNotOnOrAfter().plus(skew))) {
      throw new SamlRejected(Reason.TIME, "expired at " + c.getNotOnOrAfter());
    }
    List<AudienceRestriction> restrictions = c.getAudienceRestrictions();
    if (restrictions.isEmpty()) {
      throw new SamlRejected(Reason.AUDIENCE, "no AudienceRestriction");
    }
    for (AudienceRestriction r : restrictions) {
      if (r.getAudiences().stream().noneMatch(au -> sp.entityId().equals(au.getURI()))) {
        throw new SamlRejected(Reason.AUDIENCE, "SP is not an Audience");
      }
    }
    return c.getNotOnOrAfter();
  }

  private static Map<String, List<String>> attributes(List<AttributeStatement> statements) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (AttributeStatement s : statements) {
      for (Attribute attr : s.getAttributes()) {
        if (attr.getName() == null) {
          continue;
        }
        List<String> values = out.computeIfAbsent(attr.getName(), k -> new ArrayList<>());
        for (XMLObject v : attr.getAttributeValues()) {
          if (v.getDOM() != null) {
            values.add(v.getDOM().getTextContent().trim());
          }
        }
      }
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }
}
