-- 0007: silences, rule fingerprints, and the alert router's saved state.

-- A silence holds back matching alerts from every channel (they are still
-- recorded, with suppression = 'silenced'). It ends at ends_at, when the
-- alert it is tied to resolves (until_alert_id), or when someone expires it.
CREATE TABLE silences (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- [{"field": "field", "op": "=", "value": "NOC-F01"}, ...]; op is =, != or =~ (regex).
    matchers       jsonb NOT NULL DEFAULT '[]'::jsonb,
    -- {"ra": deg, "dec": deg, "radius_arcsec": r}, or null for the whole sky.
    region         jsonb,
    starts_at      timestamptz NOT NULL DEFAULT now(),
    ends_at        timestamptz,
    until_alert_id uuid REFERENCES alerts (id) ON DELETE SET NULL,
    created_by     text NOT NULL CHECK (created_by <> ''),
    comment        text NOT NULL DEFAULT '',
    expired_at     timestamptz,
    expired_by     text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at IS NOT NULL OR until_alert_id IS NOT NULL),
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX silences_live_idx ON silences (ends_at) WHERE expired_at IS NULL;

-- The rule's whole canonical definition (what the alert stage compiles) and
-- its hash: `nocturne rules apply` makes a new version only when it changed.
ALTER TABLE alert_rules ADD COLUMN fingerprint text, ADD COLUMN definition jsonb;

-- What the alert stage's router holds between items (groups, their timers,
-- dedup positions), so a restarted stage goes on where it stopped.
CREATE TABLE alert_router_state (
    run_id     uuid PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    state      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A delivery carries the body it sends (one alert, with its group and
-- notification number) and when its next try is due, so each channel's
-- dispatcher retries with backoff without holding anything else up.
ALTER TABLE alert_deliveries
    ADD COLUMN body            jsonb,
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN group_key       text;
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (channel, target, next_attempt_at)
    WHERE status = 'pending';
