/** The API-key endpoints: list, issue and revoke the keys that authenticate admin API callers. */
package io.authgate.admin.keys;
