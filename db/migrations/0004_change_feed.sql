-- Change feed for live dashboards (DESIGN.md §6). Every writer of the read model (the walking
-- skeleton today, the projection tomorrow, on any node) fires these triggers, so every node's
-- websocket hub hears every change without knowing who wrote it.
--
-- Cost: the triggers are statement-level with transition tables, so a statement that touches
-- 10,000 rows sends a handful of notifications (its ids in chunks), not 10,000. A single-row
-- upsert (one heartbeat on the skeleton path) costs one small pg_notify at commit; the receiving
-- hubs coalesce them (a set of dirty ids read back in one query per 250 ms tick), so the database
-- work the dashboards add does not grow with the number of open dashboards. Payloads carry ids
-- (and transitions), never whole rows: listeners read the committed rows themselves.
--
-- Channel: fleethealth_changes. Payloads (JSON, each under PostgreSQL's 8000-byte limit, chunked
-- at about 7000 bytes of elements):
--   {"sensors":["id-1","id-2",...]}
--   {"transitions":[{"id":1,"sensorId":"id-1","from":"healthy","to":"late","at":"...","reason":"..."}, ...]}

CREATE FUNCTION fleethealth_notify_sensor_changes()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload text;
BEGIN
    FOR payload IN
        SELECT json_build_object('sensors', json_agg(sensor_id ORDER BY sensor_id))::text
        FROM (
            SELECT sensor_id,
                   -- running size of the JSON-encoded ids: a new chunk every ~7000 bytes
                   (sum(octet_length(to_json(sensor_id)::text) + 1) OVER (ORDER BY sensor_id) / 7000) AS chunk
            FROM (SELECT DISTINCT sensor_id FROM changed_rows) ids
        ) numbered
        GROUP BY chunk
    LOOP
        PERFORM pg_notify('fleethealth_changes', payload);
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER sensors_notify_insert AFTER INSERT ON sensors
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_notify_sensor_changes();

CREATE TRIGGER sensors_notify_update AFTER UPDATE ON sensors
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_notify_sensor_changes();

CREATE FUNCTION fleethealth_notify_state_changes()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload text;
BEGIN
    FOR payload IN
        SELECT json_build_object('transitions', json_agg(item ORDER BY id))::text
        FROM (
            SELECT id, item,
                   (sum(octet_length(item::text) + 1) OVER (ORDER BY id) / 7000) AS chunk
            FROM (
                SELECT id, json_build_object(
                           'id', id, 'sensorId', sensor_id, 'from', from_status, 'to', to_status,
                           'at', at, 'reason', left(reason, 200)) AS item
                FROM changed_rows
            ) items
        ) numbered
        GROUP BY chunk
    LOOP
        PERFORM pg_notify('fleethealth_changes', payload);
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER state_changes_notify_insert AFTER INSERT ON state_changes
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_notify_state_changes();

CREATE TRIGGER state_changes_notify_update AFTER UPDATE ON state_changes
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_notify_state_changes();
