/**
 * The SAML 2.0 service provider engine on OpenSAML 4: hardened parsing, SP keys and metadata,
 * IdP metadata, AuthnRequests and logout over the Redirect binding, and strict response validation.
 * Everything that parses or verifies XML is blocking; {@link io.authgate.gateway.saml.SamlEngine}
 * runs it off the event loop.
 */
package io.authgate.gateway.saml;
