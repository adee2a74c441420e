/**
 * Recordings storage: the catalog of recorded segments and its queries, the announcements a recorder makes when it
 * closes a segment, the storage service (space, volume identity, reservations, deletion, check and import jobs),
 * retention, and the storage plugin SPI.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.vigil.api.storage;
