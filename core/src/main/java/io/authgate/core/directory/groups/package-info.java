/** Group mapping: one resolver per way a directory records membership. */
package io.authgate.core.directory.groups;
