@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.api.command;
