-- Liveness settings per tag (DESIGN.md §3: "settable per sensor and per group/tag"). A sensor's own
-- interval or grace wins; else the first of its tags (in ordinal order) that sets one; else the
-- fleet's configuration. A row exists only while a tag sets something.
CREATE TABLE tag_settings (
    tag              text        COLLATE "C" PRIMARY KEY CHECK (tag ~ '^[A-Za-z0-9._:/-]{1,64}$'),
    interval_seconds double precision CHECK (interval_seconds > 0 AND interval_seconds <= 2592000),
    grace_seconds    double precision CHECK (grace_seconds >= 0 AND grace_seconds <= 2592000),
    updated_at       timestamptz NOT NULL,
    updated_by       text,        -- the operator's name when the request was authenticated
    CHECK (interval_seconds IS NOT NULL OR grace_seconds IS NOT NULL)
);

-- Every node keeps the tag settings in memory and must hear of a change whichever node made it:
-- each write notifies channel fleethealth_tag_settings with the tag's name (tag writes are rare,
-- so one notification per row is cheap). A node reloads the table on it, and also whenever its
-- listening connection comes back, since notifications sent meanwhile are lost.
CREATE FUNCTION fleethealth_notify_tag_settings()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('fleethealth_tag_settings', CASE WHEN TG_OP = 'DELETE' THEN OLD.tag ELSE NEW.tag END);
    RETURN NULL;
END $$;

CREATE TRIGGER tag_settings_notify AFTER INSERT OR UPDATE OR DELETE ON tag_settings
    FOR EACH ROW EXECUTE FUNCTION fleethealth_notify_tag_settings();
