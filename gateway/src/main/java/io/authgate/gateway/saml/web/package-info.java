/** The SAML service provider's HTTP endpoints: metadata, SP-initiated login, the ACS and single logout. */
package io.authgate.gateway.saml.web;
