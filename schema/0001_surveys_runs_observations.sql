-- 0001: who observed what, and under which run.
-- Applied by `nocturne db migrate`, which records it in schema_migrations.

-- q3c gives spatial (cone) indexing on (ra, dec); Debian ships it as
-- postgresql-NN-q3c. gen_random_uuid() is built in from PostgreSQL 13.
CREATE EXTENSION IF NOT EXISTS q3c;

-- Keeps updated_at honest on rows that change state.
CREATE FUNCTION nocturne_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE surveys (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (name <> ''),
    telescope   text,
    instrument  text,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A run is one pass of the pipeline: the live night, or a replay of one.
-- Every product row carries its run_id, so a replay never touches live data.
CREATE TABLE runs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind          text NOT NULL CHECK (kind IN ('live', 'replay')),
    night         date,
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'completed', 'failed', 'aborted')),
    config        jsonb NOT NULL DEFAULT '{}'::jsonb,
    code_version  text NOT NULL CHECK (code_version <> ''),
    source        text,
    parent_run_id uuid REFERENCES runs (id),
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    notes         text,
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX runs_kind_started_idx ON runs (kind, started_at DESC);
CREATE INDEX runs_night_idx ON runs (night);

CREATE TABLE observations (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id            uuid NOT NULL REFERENCES runs (id),
    survey_id         uuid NOT NULL REFERENCES surveys (id),
    -- The survey's own identity for the exposure (see docs/schema.md).
    observation_key   text NOT NULL CHECK (observation_key <> ''),
    role              text NOT NULL DEFAULT 'science' CHECK (role IN ('science', 'reference')),
    field             text,
    filter            text,
    date_obs          timestamptz NOT NULL,
    mjd_obs           double precision,
    exptime           double precision NOT NULL CHECK (exptime > 0),
    -- Sky position of the image centre through its WCS, degrees (ICRS).
    ra                double precision CHECK (ra >= 0 AND ra < 360),
    dec               double precision CHECK (dec BETWEEN -90 AND 90),
    airmass           double precision CHECK (airmass >= 1),
    gain              double precision CHECK (gain > 0),
    read_noise        double precision CHECK (read_noise >= 0),
    saturate          double precision,
    naxis1            integer NOT NULL CHECK (naxis1 > 0),
    naxis2            integer NOT NULL CHECK (naxis2 > 0),
    pixel_scale       double precision CHECK (pixel_scale > 0),
    telescope         text,
    instrument        text,
    file_path         text NOT NULL,
    file_sha256       text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    header            jsonb NOT NULL,
    validation_status text NOT NULL DEFAULT 'pending'
                      CHECK (validation_status IN ('pending', 'valid', 'invalid')),
    validation_error  text,
    status            text NOT NULL DEFAULT 'ingested'
                      CHECK (status IN ('ingested', 'preprocessed', 'differenced', 'extracted',
                                        'embedded', 'scored', 'alerted', 'failed')),
    error             text,
    attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (survey_id, observation_key),
    CHECK (validation_status <> 'invalid' OR validation_error IS NOT NULL),
    CHECK (status <> 'failed' OR error IS NOT NULL),
    CHECK ((ra IS NULL) = (dec IS NULL))
);
CREATE TRIGGER observations_touch BEFORE UPDATE ON observations
    FOR EACH ROW EXECUTE FUNCTION nocturne_touch_updated_at();
CREATE INDEX observations_date_obs_idx ON observations (date_obs);
CREATE INDEX observations_field_idx ON observations (survey_id, field, filter, date_obs);
CREATE INDEX observations_run_idx ON observations (run_id);
-- Stages resume by looking for observations that have not reached the end.
CREATE INDEX observations_unfinished_idx ON observations (status, date_obs)
    WHERE status NOT IN ('alerted', 'failed');
CREATE INDEX observations_q3c_idx ON observations (q3c_ang2ipix(ra, dec)) WHERE ra IS NOT NULL;
CREATE INDEX observations_sha_idx ON observations (file_sha256);

-- The file registry: every file ingest has seen, accepted or not. One row per
-- distinct content; a second sighting only bumps times_seen.
CREATE TABLE ingest_files (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id          uuid NOT NULL REFERENCES runs (id),
    path            text NOT NULL,
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    sha256          text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    status          text NOT NULL CHECK (status IN ('accepted', 'duplicate', 'quarantined')),
    reason          text,
    quarantine_path text,
    observation_id  uuid REFERENCES observations (id),
    times_seen      integer NOT NULL DEFAULT 1 CHECK (times_seen >= 1),
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'quarantined' OR reason IS NOT NULL),
    CHECK (status = 'quarantined' OR observation_id IS NOT NULL)
);
CREATE INDEX ingest_files_status_idx ON ingest_files (status, first_seen_at);
