-- Vigil configuration database, schema 1: one row per Configuration Admin configuration, one row per property.
-- A statement ends with ';' at the end of a line. Migrations are applied in order, each in one transaction.
PRAGMA application_id = 1447510862; -- "VGCN"
CREATE TABLE configuration (
    pid         TEXT PRIMARY KEY NOT NULL,
    factory_pid TEXT,
    changed_at  TEXT NOT NULL
);
CREATE TABLE property (
    pid   TEXT NOT NULL REFERENCES configuration (pid) ON DELETE CASCADE,
    name  TEXT NOT NULL,
    type  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (pid, name)
);
