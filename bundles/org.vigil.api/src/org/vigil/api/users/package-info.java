/**
 * The recorder's users, their roles and the audit trail of changes (issue 14): kept apart from the settings, so that
 * restoring settings never brings back a deleted user or an old password.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.vigil.api.users;
