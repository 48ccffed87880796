-- 0008: rules pinned to one run.
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
