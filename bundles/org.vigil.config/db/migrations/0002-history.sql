-- Schema 2: a record of the migrations applied (when and by which schema), and factory configurations found by index.
CREATE TABLE schema_history (
    version     INTEGER PRIMARY KEY NOT NULL,
    applied_at  TEXT,
    description TEXT NOT NULL
);
INSERT INTO schema_history (version, applied_at, description) VALUES (1, NULL, 'configurations and their properties');
CREATE INDEX configuration_by_factory ON configuration (factory_pid);
