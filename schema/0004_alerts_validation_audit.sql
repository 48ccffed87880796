-- 0004: what operators are told, how it reached them, and who did what.

CREATE TABLE alert_rules (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (name ~ '^[A-Za-z0-9_.-]+$'),
    -- Each change to a rule is a new version; alerts name the version that fired.
    version     integer NOT NULL CHECK (version > 0),
    description text,
    severity    text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    condition   jsonb NOT NULL,
    actions     jsonb NOT NULL DEFAULT '[]'::jsonb,
    routing     jsonb NOT NULL DEFAULT '{}'::jsonb,
    active      boolean NOT NULL DEFAULT true,
    source      text,
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);
CREATE UNIQUE INDEX alert_rules_one_active_version_idx ON alert_rules (name) WHERE active;

CREATE TABLE alerts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    run_id          uuid NOT NULL REFERENCES runs (id),
    rule_id         uuid NOT NULL REFERENCES alert_rules (id),
    kind            text NOT NULL DEFAULT 'candidate' CHECK (kind IN ('candidate', 'data_quality')),
    observation_id  uuid REFERENCES observations (id),
    candidate_id    uuid REFERENCES candidates (id) ON DELETE SET NULL,
    detection_id    uuid REFERENCES detections (id) ON DELETE SET NULL,
    anomaly_id      uuid REFERENCES anomalies (id) ON DELETE SET NULL,
    -- Same source, same place, same rule → same dedup_key → one alert.
    dedup_key       text NOT NULL CHECK (dedup_key <> ''),
    group_key       text NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    state           text NOT NULL DEFAULT 'active'
                    CHECK (state IN ('active', 'acknowledged', 'resolved', 'expired')),
    -- Held back from channels, but kept: silenced by a silence, or inhibited
    -- by a data-quality alarm.
    suppression     text CHECK (suppression IN ('silenced', 'inhibited')),
    suppressed_by   text,
    ra              double precision CHECK (ra >= 0 AND ra < 360),
    dec             double precision CHECK (dec BETWEEN -90 AND 90),
    title           text NOT NULL,
    payload         jsonb NOT NULL,
    count           integer NOT NULL DEFAULT 1 CHECK (count >= 1),
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    acknowledged_by text,
    acknowledged_at timestamptz,
    ack_note        text,
    resolved_by     text,
    resolved_at     timestamptz,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, rule_id, dedup_key),
    CHECK ((ra IS NULL) = (dec IS NULL)),
    CHECK (state <> 'acknowledged' OR acknowledged_at IS NOT NULL),
    CHECK (state <> 'resolved' OR resolved_at IS NOT NULL),
    CHECK (last_seen_at >= first_seen_at)
);
CREATE TRIGGER alerts_touch BEFORE UPDATE ON alerts
    FOR EACH ROW EXECUTE FUNCTION nocturne_touch_updated_at();
CREATE INDEX alerts_state_idx ON alerts (state, created_at DESC);
CREATE INDEX alerts_rule_idx ON alerts (rule_id, created_at DESC);
CREATE INDEX alerts_run_idx ON alerts (run_id);
CREATE INDEX alerts_q3c_idx ON alerts (q3c_ang2ipix(ra, dec)) WHERE ra IS NOT NULL;

CREATE TABLE alert_deliveries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    alert_id        uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    channel         text NOT NULL CHECK (channel IN ('zeromq', 'webhook', 'file')),
    target          text NOT NULL,
    -- 1 for the first notification; repeats (repeat_interval) count up.
    notification    integer NOT NULL DEFAULT 1 CHECK (notification >= 1),
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      text,
    last_attempt_at timestamptz,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (alert_id, channel, target, notification),
    CHECK (status <> 'failed' OR last_error IS NOT NULL)
);
CREATE INDEX alert_deliveries_pending_idx ON alert_deliveries (status, created_at)
    WHERE status IN ('pending', 'failed');

-- Human and automatic judgements on things: labels on candidates (real,
-- bogus, ...), validation outcomes on observations.
CREATE TABLE validation_events (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject_type text NOT NULL CHECK (subject_type IN ('observation', 'candidate', 'detection', 'alert')),
    subject_id   uuid NOT NULL,
    event        text NOT NULL CHECK (event <> ''),
    label        text,
    actor        text NOT NULL CHECK (actor <> ''),
    note         text,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX validation_events_subject_idx ON validation_events (subject_type, subject_id, created_at);

-- Append-only record of every operator and configuration action.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL CHECK (actor <> ''),
    action      text NOT NULL CHECK (action <> ''),
    entity_type text NOT NULL,
    entity_id   text,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
