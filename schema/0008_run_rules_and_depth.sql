-- 0008: rules pinned to one run, and the depth of each subtraction.
--
-- `nocturne replay --rules DIR` replays a night under other rules without
-- touching the live ones. Each rule of DIR is stored as a version of its
-- name: an existing row when some version already has the same fingerprint,
-- otherwise a new version left inactive, so live runs never use it. The run
-- lists its rules here; a run with rows here uses exactly those, a run
-- without uses the active rules.
CREATE TABLE run_rules (
    run_id  uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    rule_id uuid NOT NULL REFERENCES alert_rules (id),
    PRIMARY KEY (run_id, rule_id)
);

-- The night report reads each subtraction's depth from its parameters.
COMMENT ON COLUMN difference_runs.parameters IS
    'Figures of the subtraction (JSON): flux_ratio, sigma_new, sigma_reference, astrometric_sigma_px, flux_scale, '
    'difference_zero_point, score_normalization, product paths; point_flux_error = the 1-sigma flux error of a point '
    'source on a typical clean pixel (reference flux units), limiting_mag_5sigma = the 5-sigma point-source depth '
    '(null without a zero point)';
