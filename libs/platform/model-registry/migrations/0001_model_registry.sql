-- The model registry: every trained model version, its artefacts (bytes and hashes), its training window,
-- its metrics and its status. The scoring service serves the one champion and every shadow.

CREATE TABLE model_versions (
  version            text        PRIMARY KEY CHECK (version ~ '^[a-z0-9][a-z0-9._-]{2,99}$'),
  kind               text        NOT NULL CHECK (kind IN ('lightgbm', 'xgboost')),
  status             text        NOT NULL CHECK (status IN ('candidate', 'shadow', 'champion', 'retired')),
  schema_hash        text        NOT NULL,
  train_from         timestamptz NOT NULL,
  train_to           timestamptz NOT NULL,
  labels_known_by    timestamptz NOT NULL,
  calibration_from   timestamptz NOT NULL,
  calibration_to     timestamptz NOT NULL,
  test_from          timestamptz NOT NULL,
  test_to            timestamptz NOT NULL,
  label_delay_days   double precision NOT NULL CHECK (label_delay_days >= 0),
  -- Test metrics the trainer measured (raw and calibrated), as in metadata.json.
  metrics            jsonb       NOT NULL,
  -- The latest `argus eval` headline (model and rules baseline) and where its report is.
  evaluation         jsonb,
  -- metadata.json as the trainer wrote it.
  metadata           jsonb       NOT NULL,
  source             text,
  registered_at      timestamptz NOT NULL DEFAULT now(),
  status_changed_at  timestamptz NOT NULL DEFAULT now()
);

-- One champion at most, enforced by the database (a promotion retires the previous one in the same transaction).
CREATE UNIQUE INDEX model_versions_one_champion ON model_versions (status) WHERE status = 'champion';
CREATE INDEX model_versions_serving ON model_versions (status) WHERE status IN ('champion', 'shadow');

CREATE TABLE model_artefacts (
  version  text  NOT NULL REFERENCES model_versions (version),
  name     text  NOT NULL CHECK (name ~ '^[a-z0-9_.-]+$'),
  sha256   char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes    bytea NOT NULL,
  PRIMARY KEY (version, name)
);

-- Every status change, who made it and why: the model governance trail.
CREATE TABLE model_status_events (
  id           bigserial   PRIMARY KEY,
  version      text        NOT NULL REFERENCES model_versions (version),
  from_status  text,
  to_status    text        NOT NULL,
  reason       text        NOT NULL,
  actor        text        NOT NULL,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_status_events_version ON model_status_events (version, id);
