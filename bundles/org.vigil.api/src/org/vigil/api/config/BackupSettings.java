package org.vigil.api.config;

/** Backup defaults: a component property type for the PID {@value #PID}. */
public @interface BackupSettings {
    String PID = "org.vigil.backup";

    /** The destination offered first (an absolute path, such as a mounted USB drive); empty when none. */
    String destination() default "";

    /** The checksum written beside copied files: {@code sha256} or {@code md5}. */
    String hash() default "sha256";

    /** Whether every copy is read back and compared with its checksum. */
    boolean verify() default true;
}
