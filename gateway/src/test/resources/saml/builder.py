"""pysaml2 side of the test IdP: the Server, valid documents, signing, encryption, metadata, logout.

Documents are handled as text and ElementTree elements. Prefixes are registered so that a signed
element parsed and written again by ElementTree canonicalises (exc-c14n) to the same bytes, which
keeps its signature valid after post-processing.
"""
import atexit
import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, samlp, saml
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.pack import http_redirect_message
from saml2.saml import NameID
from saml2.server import Server
from saml2.sigver import pre_encryption_part, pre_signature_part
from saml2.s_utils import success_status_factory
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

XMLSEC = os.environ.get("XMLSEC1", "/usr/bin/xmlsec1")
HERE = os.path.dirname(os.path.abspath(__file__))

NS = {
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xenc": "http://www.w3.org/2001/04/xmlenc#",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"
RESPONSE = "urn:oasis:names:tc:SAML:2.0:protocol:Response"
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

ALGORITHMS = {
    "aes128-cbc": ("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "aes-128"),
    "aes256-cbc": ("http://www.w3.org/2001/04/xmlenc#aes256-cbc", "aes-256"),
    "aes128-gcm": ("http://www.w3.org/2009/xmlenc11#aes128-gcm", "aes-128"),
    "aes256-gcm": ("http://www.w3.org/2009/xmlenc11#aes256-gcm", "aes-256"),
}
RSA_OAEP = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
RSA_15 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5"

_servers = {}
_workdir = tempfile.mkdtemp(prefix="authgate-idp-")


def cleanup():
    shutil.rmtree(_workdir, ignore_errors=True)


atexit.register(cleanup)


def q(prefix, local):
    """The ElementTree name {uri}local."""
    return "{%s}%s" % (NS[prefix], local)


def slo_url(job):
    return job.get("sloUrl") or job["acsUrl"].rsplit("/", 1)[0] + "/slo"


def sp_metadata(job):
    """The SP's metadata: the job's file when given, else a minimal document built here."""
    if job.get("spMetadata"):
        with open(job["spMetadata"], encoding="utf-8") as source:
            return source.read()
    return (
        '<md:EntityDescriptor xmlns:md="%s" entityID="%s"><md:SPSSODescriptor '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:SingleLogoutService Binding="%s" Location="%s"/>'
        '<md:AssertionConsumerService Binding="%s" Location="%s" index="0"/>'
        "</md:SPSSODescriptor></md:EntityDescriptor>"
        % (NS["md"], job["spEntityId"], BINDING_HTTP_REDIRECT, slo_url(job), BINDING_HTTP_POST, job["acsUrl"]))


def server(job, entity_id=None):
    """A pysaml2 Server for the job's IdP, cached per distinct configuration."""
    key = (entity_id or job["idpEntityId"], job["signingKey"], job["signingCert"], job.get("spEntityId"),
           job.get("acsUrl"), job.get("sloUrl"), job.get("spMetadata"), job.get("ssoUrl"), job.get("idpSloUrl"))
    if key in _servers:
        return _servers[key]
    idp = entity_id or job["idpEntityId"]
    config = {
        "entityid": idp,
        "service": {"idp": {
            "endpoints": {
                "single_sign_on_service": [(job.get("ssoUrl") or idp + "/sso", BINDING_HTTP_REDIRECT)],
                "single_logout_service": [(job.get("idpSloUrl") or idp + "/slo", BINDING_HTTP_REDIRECT)],
            },
            "name_id_format": [EMAIL_FORMAT],
            "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None,
                                   "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}},
        }},
        "key_file": job["signingKey"],
        "cert_file": job["signingCert"],
        "xmlsec_binary": XMLSEC,
        "allow_unknown_attributes": True,
        "attribute_map_dir": os.path.join(HERE, "attributemaps"),
        "delete_tmpfiles": True,
    }
    if job.get("spEntityId"):
        config["metadata"] = {"inline": [sp_metadata(job)]}
    loaded = IdPConfig()
    loaded.load(config)
    _servers[key] = Server(config=loaded)
    return _servers[key]


def iso(offset):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset))


def unsigned_response(job, **overrides):
    """A pysaml2 Response (unsigned) for the job, as an ElementTree root, with the job's times applied."""
    values = dict(job, **overrides)
    idp = server(job)
    response = idp.create_authn_response(
        values.get("attributes", {}), values.get("inResponseTo"), values.get("destination", job["acsUrl"]),
        job["spEntityId"],
        name_id=NameID(format=values.get("nameIdFormat", EMAIL_FORMAT), text=values["nameId"]),
        sign_response=False, sign_assertion=False,
        authn={"class_ref": PASSWORD_CLASS},
        issuer=saml.Issuer(text=values.get("issuer", job["idpEntityId"]), format=saml.NAMEID_FORMAT_ENTITY))
    root = ET.fromstring(str(response))
    adjust(root, values)
    return root


def adjust(root, job):
    """Applies the job's IDs, clock offsets, and its audience/recipient/name format overrides."""
    issued = iso(job.get("issueInstantOffset", 0))
    not_before = iso(job.get("notBeforeOffset", 0))
    not_after = iso(job.get("notOnOrAfterOffset", 300))
    if job.get("responseId"):
        root.set("ID", job["responseId"])
    for element in root.iter():
        if element.tag == q("saml", "Assertion") and job.get("assertionId"):
            element.set("ID", job["assertionId"])
        if "IssueInstant" in element.attrib:
            element.set("IssueInstant", issued)
        if element.tag == q("saml", "AuthnStatement"):
            element.set("AuthnInstant", issued)
            element.attrib.pop("SessionNotOnOrAfter", None)
            if job.get("sessionIndex"):
                element.set("SessionIndex", job["sessionIndex"])
        if element.tag == q("saml", "Conditions"):
            element.set("NotBefore", not_before)
            element.set("NotOnOrAfter", not_after)
        if element.tag == q("saml", "SubjectConfirmationData"):
            element.set("NotOnOrAfter", not_after)
            element.set("Recipient", job.get("recipient", job["acsUrl"]))
        if element.tag == q("saml", "Audience") and job.get("audience"):
            element.text = job["audience"]
        if element.tag == q("saml", "Attribute"):
            element.attrib.pop("FriendlyName", None)
            if job.get("attributeNameFormat"):
                element.set("NameFormat", job["attributeNameFormat"])


def text(root):
    """Serialises the element as its own document.

    ElementTree declares only the prefixes used in element and attribute names; xsi:type values
    name "xs:string", so xs is declared on the root too. Adding a declaration never changes an
    exc-c14n signature (only visibly used prefixes are canonicalised).
    """
    xml = ET.tostring(root, encoding="unicode")
    if '"xs:' in xml and "xmlns:xs=" not in xml:
        name_end = re.search(r"[\s/>]", xml).start()
        xml = '%s xmlns:xs="%s"%s' % (xml[:name_end], NS["xs"], xml[name_end:])
    return xml


def parse(xml):
    """Parses keeping comments (ElementTree drops them by default)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    parser.feed(xml)
    return parser.close()


def pem_body(path):
    with open(path, encoding="ascii") as source:
        lines = [line.strip() for line in source if line.strip() and not line.startswith("-----")]
    return "".join(lines)


def signature_template(element_id, cert, sign_alg, digest_alg):
    """pysaml2's Signature template (enveloped + exc-c14n) with the signer's certificate in KeyInfo."""
    return ET.fromstring(str(pre_signature_part(element_id, pem_body(cert), sign_alg=sign_alg, digest_alg=digest_alg)))


def sign(xml, element_id, key, cert, kind=ASSERTION, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256,
         edit_template=None):
    """Signs the element with ID element_id (an Assertion or a Response) with xmlsec1 through pysaml2.

    The template goes right after the element's Issuer; edit_template(signature) may change it
    (transforms) before xmlsec1 fills it in.
    """
    root = parse(xml)
    target = find_by_id(root, element_id)
    template = signature_template(element_id, cert, sign_alg, digest_alg)
    if edit_template:
        edit_template(template)
    target.insert(1, template)
    crypto = server_crypto()
    return crypto.sign_statement(text(root), kind, key, element_id)


def server_crypto():
    from saml2.sigver import CryptoBackendXmlSec1
    return CryptoBackendXmlSec1(XMLSEC, delete_tmpfiles=True)


def find_by_id(root, element_id):
    for element in root.iter():
        if element.get("ID") == element_id:
            return element
    raise ValueError("no element with ID " + element_id)


def encrypt_assertion(response_xml, assertion_xml, sp_cert, data_algorithm="aes256-gcm", key_transport=RSA_OAEP):
    """Replaces the response's Assertion by an EncryptedAssertion holding assertion_xml encrypted for sp_cert.

    assertion_xml is the signed assertion as its own document, so it carries every namespace it
    uses once decrypted. Encryption is xmlsec1's, with a template from pysaml2's pre_encryption_part.
    """
    algorithm, session_key = ALGORITHMS[data_algorithm]
    root = parse(response_xml)
    old = root.find(q("saml", "Assertion"))
    index = list(root).index(old)
    root.remove(old)
    holder = ET.Element(q("saml", "EncryptedAssertion"))
    holder.text = "@@ASSERTION@@"
    root.insert(index, holder)
    document = text(root).replace("@@ASSERTION@@", strip_declaration(assertion_xml))
    template = str(pre_encryption_part(msg_enc=algorithm, key_enc=key_transport, encrypt_cert=pem_body(sp_cert)))
    crypto = server_crypto()
    return crypto.encrypt_assertion(document, sp_cert, template, key_type=session_key,
                                    node_xpath="//*[local-name()='EncryptedAssertion']/*[local-name()='Assertion']")


def strip_declaration(xml):
    xml = xml.strip()
    if xml.startswith("<?xml"):
        xml = xml[xml.index("?>") + 2:].lstrip()
    return xml


def idp_metadata(job):
    """The IdP's EntityDescriptor: signing certificate, SSO and SLO Redirect endpoints."""
    idp = server(job)
    root = ET.fromstring(str(entity_descriptor(idp.config)))
    for extensions in root.findall(q("md", "Extensions")):
        root.remove(extensions)  # pysaml2 advertises every algorithm it knows, MD5 included
    descriptor = root.find(q("md", "IDPSSODescriptor"))
    descriptor.set("WantAuthnRequestsSigned", "true" if job.get("wantAuthnRequestsSigned") else "false")
    return text(root)


def logout(job, variant):
    """IdP-initiated LogoutRequest, or a LogoutResponse to the SP's request, on the Redirect binding."""
    idp = server(job)
    destination = slo_url(job)
    if variant == "logout-request":
        request_id, request = idp.create_logout_request(
            destination, job["spEntityId"],
            name_id=NameID(format=job.get("nameIdFormat", EMAIL_FORMAT), text=job["nameId"]),
            session_indexes=[job["sessionIndex"]] if job.get("sessionIndex") else None, sign=False)
        message, kind = str(request), "SAMLRequest"
    elif variant == "logout-response":
        response = idp._status_response(
            samlp.LogoutResponse, idp._issuer(), success_status_factory(), sign=False,
            in_response_to=job["inResponseTo"], destination=destination)
        message, kind = str(response), "SAMLResponse"
    else:
        raise ValueError("unknown variant " + variant)
    info = http_redirect_message(message, destination, job.get("relayState", ""), kind,
                                 sigalg=job.get("sigAlg", SIG_RSA_SHA256), sign=True, backend=idp.sec.sec_backend)
    location = dict(info["headers"])["Location"]
    return {"variant": variant, "xml": message, "url": location, "query": location.split("?", 1)[1]}
