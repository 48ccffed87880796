-- 0003: fitted models, what they inferred, and the lineage between them.

CREATE TABLE models (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text NOT NULL CHECK (name <> ''),
    kind            text NOT NULL CHECK (kind IN ('embedding', 'real_bogus', 'anomaly')),
    version         integer NOT NULL CHECK (version > 0),
    parameters      jsonb NOT NULL DEFAULT '{}'::jsonb,
    metrics         jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- What it was trained on: nights, seeds, counts, labelled candidates.
    training        jsonb NOT NULL DEFAULT '{}'::jsonb,
    artifact        bytea,
    artifact_sha256 text CHECK (artifact_sha256 ~ '^[0-9a-f]{64}$'),
    active          boolean NOT NULL DEFAULT false,
    created_by      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);
-- The stages load "the active model" of each kind; there is at most one.
CREATE UNIQUE INDEX models_one_active_per_kind_idx ON models (kind) WHERE active;

-- One row per inference batch: which model ran, on what, how long, how big.
CREATE TABLE model_runs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id            uuid NOT NULL REFERENCES runs (id),
    model_id          uuid NOT NULL REFERENCES models (id),
    stage             text NOT NULL CHECK (stage <> ''),
    observation_id    uuid REFERENCES observations (id),
    n_items           integer NOT NULL CHECK (n_items >= 0),
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz NOT NULL,
    duration_ms       double precision NOT NULL CHECK (duration_ms >= 0),
    peak_memory_bytes bigint CHECK (peak_memory_bytes >= 0),
    UNIQUE NULLS NOT DISTINCT (run_id, model_id, stage, observation_id),
    CHECK (finished_at >= started_at)
);

-- Each candidate's coordinates in an embedding, with the model that made them.
CREATE TABLE embeddings (
    candidate_id uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    model_id     uuid NOT NULL REFERENCES models (id),
    run_id       uuid NOT NULL REFERENCES runs (id),
    coords       double precision[] NOT NULL CHECK (cardinality(coords) >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (candidate_id, model_id)
);
CREATE INDEX embeddings_model_idx ON embeddings (model_id);

CREATE TABLE detections (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id         uuid NOT NULL REFERENCES runs (id),
    candidate_id   uuid NOT NULL UNIQUE REFERENCES candidates (id) ON DELETE CASCADE,
    observation_id uuid NOT NULL REFERENCES observations (id),
    model_id       uuid REFERENCES models (id),
    confidence     double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    detection_type text NOT NULL
                   CHECK (detection_type IN ('transient', 'variable', 'supernova_like',
                                             'moving', 'artifact', 'unknown')),
    ra             double precision NOT NULL CHECK (ra >= 0 AND ra < 360),
    dec            double precision NOT NULL CHECK (dec BETWEEN -90 AND 90),
    mag            double precision,
    snr            double precision,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX detections_q3c_idx ON detections (q3c_ang2ipix(ra, dec));
CREATE INDEX detections_observation_idx ON detections (observation_id);
CREATE INDEX detections_run_type_idx ON detections (run_id, detection_type);

CREATE TABLE anomalies (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id             uuid NOT NULL REFERENCES runs (id),
    candidate_id       uuid NOT NULL UNIQUE REFERENCES candidates (id) ON DELETE CASCADE,
    detection_id       uuid REFERENCES detections (id) ON DELETE CASCADE,
    observation_id     uuid NOT NULL REFERENCES observations (id),
    -- Distance from the baseline in the embedding, and a feature-space score.
    embedding_distance double precision CHECK (embedding_distance >= 0),
    feature_score      double precision,
    score              double precision NOT NULL CHECK (score >= 0),
    threshold          double precision NOT NULL CHECK (threshold > 0),
    severity           text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    features           jsonb NOT NULL,
    top_features       jsonb NOT NULL DEFAULT '[]'::jsonb,
    -- The k nearest baseline candidates, so an operator sees why it stands out.
    analogs            uuid[] NOT NULL DEFAULT '{}',
    model_versions     jsonb NOT NULL DEFAULT '{}'::jsonb,
    ra                 double precision NOT NULL CHECK (ra >= 0 AND ra < 360),
    dec                double precision NOT NULL CHECK (dec BETWEEN -90 AND 90),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anomalies_q3c_idx ON anomalies (q3c_ang2ipix(ra, dec));
CREATE INDEX anomalies_run_severity_idx ON anomalies (run_id, severity);
CREATE INDEX anomalies_observation_idx ON anomalies (observation_id);
