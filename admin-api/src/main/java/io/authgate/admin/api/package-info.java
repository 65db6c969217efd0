/**
 * The admin API's frame: built from its OpenAPI contract, API-key authentication with roles, and
 * every error as an RFC 9457 problem.
 */
package io.authgate.admin.api;
