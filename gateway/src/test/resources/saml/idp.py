#!/usr/bin/python3
"""A test SAML 2.0 identity provider built on Debian's python3-pysaml2 and xmlsec1.

It exists so that the gateway's SAML service provider is tested against messages produced by an
implementation nobody on the project wrote: valid responses come from pysaml2's Server
(create_authn_response, create_logout_request, ...) and are signed and encrypted by xmlsec1
through pysaml2's own crypto backend; attack variants are made by post-processing those
documents (ElementTree, since python3-lxml is not installed) and re-signing with xmlsec1.

Usage: idp.py < jobs.json > outputs.json
  stdin:  one job object or a list of jobs (see README.md beside this file for every field)
  stdout: one output object or a list of outputs, in the same order
Errors go to stderr with exit status 1; nothing secret is printed (keys are only file paths).
"""
import base64
import json
import sys

import attacks
import builder


def run(job):
    """Produces the output object for one job."""
    if job.get("metadata"):
        return {"metadata": builder.idp_metadata(job)}
    variant = job.get("variant", "valid-signed-assertion")
    if variant.startswith("logout-"):
        return builder.logout(job, variant)
    xml = attacks.produce(job, variant)
    return {
        "variant": variant,
        "xml": xml,
        "samlResponse": base64.b64encode(xml.encode("utf-8")).decode("ascii"),
    }


def main():
    text = sys.stdin.read()
    jobs = json.loads(text)
    single = isinstance(jobs, dict)
    outputs = [run(job) for job in ([jobs] if single else jobs)]
    try:
        json.dump(outputs[0] if single else outputs, sys.stdout)
    finally:
        builder.cleanup()
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one line a Java test can show, plus the trace for a human
        import traceback
        traceback.print_exc(file=sys.stderr)
        sys.stderr.write("idp.py failed: %s: %s\n" % (type(error).__name__, error))
        sys.exit(1)
