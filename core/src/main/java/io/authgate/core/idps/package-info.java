/** SAML identity providers and the SP's own keys as the store keeps them, for the admin API and the gateways. */
package io.authgate.core.idps;
