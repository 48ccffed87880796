-- 0005: the chain's own bookkeeping.

-- Where each observation stands in each run. Observations belong to the
-- night; their processing belongs to a run, and a replay processes the same
-- observations again under its own run. Stages claim work here with a lease:
-- the database is the queue, messages are only hints.
CREATE TABLE observation_progress (
    run_id         uuid NOT NULL REFERENCES runs (id),
    observation_id uuid NOT NULL REFERENCES observations (id),
    status         text NOT NULL
                   CHECK (status IN ('ingested', 'preprocessed', 'differenced', 'extracted',
                                     'embedded', 'scored', 'alerted', 'failed')),
    -- The stage that failed, and why; kept until the item is reprocessed.
    failed_stage   text,
    error          text,
    attempts       integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- A stage instance working on the item holds it until lease_until.
    lease_owner    text,
    lease_until    timestamptz,
    -- When the file landed (ingest saw it), for latency from landing to alert.
    landed_at      timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, observation_id),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE TRIGGER observation_progress_touch BEFORE UPDATE ON observation_progress
    FOR EACH ROW EXECUTE FUNCTION nocturne_touch_updated_at();
-- Each stage looks for items of its run at its input status whose lease is free.
CREATE INDEX observation_progress_queue_idx ON observation_progress (run_id, status, lease_until);

-- The pixels of reference observations, so that a stage on any host can
-- prepare a field's reference from the database alone.
CREATE TABLE reference_images (
    observation_id uuid PRIMARY KEY REFERENCES observations (id) ON DELETE CASCADE,
    width          integer NOT NULL CHECK (width > 0),
    height         integer NOT NULL CHECK (height > 0),
    -- width × height little-endian float32, row-major (FITS row 1 first).
    pixels         bytea NOT NULL CHECK (octet_length(pixels) = 4 * width * height),
    -- The FITS header as 80-character cards (what WCSLIB parses).
    header         text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
