-- 0002: the imaging products. Each is keyed by (run, observation) or by its
-- parent product, so a redelivered message rewrites nothing.

CREATE TABLE preprocess_runs (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id                   uuid NOT NULL REFERENCES runs (id),
    observation_id           uuid NOT NULL REFERENCES observations (id),
    reference_observation_id uuid REFERENCES observations (id),
    status                   text NOT NULL DEFAULT 'succeeded'
                             CHECK (status IN ('succeeded', 'failed')),
    wcs_aligned              boolean NOT NULL DEFAULT false,
    -- Astrometric rms of the star match after refinement, arcsec.
    registration_quality     double precision CHECK (registration_quality >= 0),
    astrometric_rms_px       double precision CHECK (astrometric_rms_px >= 0),
    n_stars                  integer CHECK (n_stars >= 0),
    n_matched                integer CHECK (n_matched >= 0),
    seeing_fwhm_px           double precision CHECK (seeing_fwhm_px > 0),
    background_level         double precision,
    background_rms           double precision CHECK (background_rms >= 0),
    limiting_mag             double precision,
    wcs_info                 jsonb NOT NULL DEFAULT '{}'::jsonb,
    psf                      jsonb,
    parameters               jsonb NOT NULL DEFAULT '{}'::jsonb,
    aligned_path             text,
    noise_path               text,
    mask_path                text,
    error                    text,
    started_at               timestamptz NOT NULL DEFAULT now(),
    finished_at              timestamptz,
    duration_ms              double precision CHECK (duration_ms >= 0),
    UNIQUE (run_id, observation_id),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE INDEX preprocess_runs_observation_idx ON preprocess_runs (observation_id);

-- Lineage of stacked references: which exposures went into which reference.
CREATE TABLE reference_inputs (
    reference_observation_id uuid NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    input_observation_id     uuid NOT NULL REFERENCES observations (id),
    weight                   double precision NOT NULL CHECK (weight >= 0),
    PRIMARY KEY (reference_observation_id, input_observation_id),
    CHECK (reference_observation_id <> input_observation_id)
);

CREATE TABLE difference_runs (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id                   uuid NOT NULL REFERENCES runs (id),
    observation_id           uuid NOT NULL REFERENCES observations (id),
    preprocess_run_id        uuid REFERENCES preprocess_runs (id),
    reference_observation_id uuid REFERENCES observations (id),
    algorithm                text NOT NULL DEFAULT 'zogy' CHECK (algorithm <> ''),
    parameters               jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- F_n / F_r fitted on matched stars.
    flux_ratio               double precision CHECK (flux_ratio > 0),
    -- Standard deviation of D in empty regions, and of S_corr (≈ 1 when right).
    noise_level              double precision CHECK (noise_level >= 0),
    scorr_std                double precision CHECK (scorr_std >= 0),
    -- Detection threshold on |S_corr|, in sigma.
    detection_threshold      double precision NOT NULL CHECK (detection_threshold > 0),
    n_candidates             integer CHECK (n_candidates >= 0),
    status                   text NOT NULL DEFAULT 'succeeded'
                             CHECK (status IN ('succeeded', 'failed')),
    difference_path          text,
    scorr_path               text,
    psf_path                 text,
    error                    text,
    started_at               timestamptz NOT NULL DEFAULT now(),
    finished_at              timestamptz,
    duration_ms              double precision CHECK (duration_ms >= 0),
    UNIQUE (run_id, observation_id),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE INDEX difference_runs_observation_idx ON difference_runs (observation_id);

CREATE TABLE candidates (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id            uuid NOT NULL REFERENCES runs (id),
    observation_id    uuid NOT NULL REFERENCES observations (id),
    difference_run_id uuid NOT NULL REFERENCES difference_runs (id) ON DELETE CASCADE,
    -- Position of the candidate within its difference run's list (0-based):
    -- the natural key that makes a rewrite idempotent.
    candidate_index   integer NOT NULL CHECK (candidate_index >= 0),
    -- Position on the reference grid, FITS 1-based pixels.
    x                 double precision NOT NULL,
    y                 double precision NOT NULL,
    ra                double precision NOT NULL CHECK (ra >= 0 AND ra < 360),
    dec               double precision NOT NULL CHECK (dec BETWEEN -90 AND 90),
    flux              double precision,
    flux_err          double precision CHECK (flux_err >= 0),
    snr               double precision,
    mag               double precision,
    mag_err           double precision CHECK (mag_err >= 0),
    fwhm              double precision CHECK (fwhm > 0),
    elong             double precision CHECK (elong >= 1),
    ellipticity       double precision CHECK (ellipticity BETWEEN 0 AND 1),
    theta_deg         double precision CHECK (theta_deg BETWEEN -90 AND 90),
    scorr             double precision,
    is_positive       boolean NOT NULL DEFAULT true,
    flags             integer NOT NULL DEFAULT 0 CHECK (flags >= 0),
    nneg              integer CHECK (nneg >= 0),
    nbad              integer CHECK (nbad >= 0),
    sumrat            double precision,
    magdiff           double precision,
    dipole            double precision,
    distnr            double precision CHECK (distnr >= 0),
    magnr             double precision,
    features          jsonb,
    -- Stamps: stamp_size² little-endian float32 pixels, row-major.
    stamp_size        smallint CHECK (stamp_size > 0),
    stamp_science     bytea,
    stamp_reference   bytea,
    stamp_difference  bytea,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (difference_run_id, candidate_index)
);
CREATE INDEX candidates_q3c_idx ON candidates (q3c_ang2ipix(ra, dec));
CREATE INDEX candidates_observation_idx ON candidates (observation_id);
CREATE INDEX candidates_run_idx ON candidates (run_id);
