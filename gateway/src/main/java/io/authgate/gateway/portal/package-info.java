/** The login page browsers are sent to: sign-in form, CSRF protection, safe redirects, logout. */
package io.authgate.gateway.portal;
