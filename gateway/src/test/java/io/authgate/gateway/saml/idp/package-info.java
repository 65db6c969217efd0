/**
 * A SAML identity provider for tests, independent of the gateway's code: Debian's pysaml2 and
 * xmlsec1 produce valid responses and attack variants, driven from Java by {@link io.authgate.gateway.saml.idp.PySamlIdp}.
 */
package io.authgate.gateway.saml.idp;
