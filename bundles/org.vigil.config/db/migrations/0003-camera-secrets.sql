-- Schema 3: camera passwords apart from the configurations (issue 22: vigil shell printed them from Configuration
-- Admin). A camera configuration holds its URL without the password and, in urlSecret or subUrlSecret, the ref of
-- a row here; a new password gets a new ref. Rows no configuration names are removed after each change.
CREATE TABLE camera_secret (
    ref      TEXT PRIMARY KEY NOT NULL,
    camera   TEXT NOT NULL,
    password TEXT NOT NULL
);
