/**
 * A benchmark IdP for the SAML ACS benchmark: a key pair and metadata, and fresh signed SAML
 * responses made in bulk with OpenSAML ({@link io.authgate.loadtests.saml.SamlResponseGenerator}).
 * A benchmark tool, not part of the gateway.
 */
package io.authgate.loadtests.saml;
