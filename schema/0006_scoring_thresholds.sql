-- 0006: anomalies carry both of their scores' thresholds and the ratio that
-- set their severity; detections carry the artifact probability that typed them.

-- anomalies.threshold is the embedding distance's threshold (the configured
-- quantile of the baseline's out-of-sample distances); feature_threshold is
-- the isolation-forest score's. Each score becomes a ratio
-- (s - baseline median) / (threshold - baseline median); ratio is the larger
-- of the two, and severity follows it (low < 1.5 <= medium < 2 <= high < 3 <= critical).
ALTER TABLE anomalies
    ADD COLUMN feature_threshold double precision CHECK (feature_threshold > 0),
    ADD COLUMN ratio             double precision CHECK (ratio >= 1),
    ADD COLUMN coords            double precision[];

ALTER TABLE detections
    ADD COLUMN artifact_probability double precision CHECK (artifact_probability BETWEEN 0 AND 1);
