/** The sync worker's lifecycle work: applying offboarding dates as they come. */
package io.authgate.sync.lifecycle;
