/**
 * What SAML sign-in remembers between requests: the AuthnRequests sent and not yet answered, and
 * the assertions already used; each in process or in Redis shared by every gateway.
 */
package io.authgate.core.saml;
