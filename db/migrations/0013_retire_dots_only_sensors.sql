-- Retires every stored sensor whose id is only dots ('.', '..'). Such ids were valid until this
-- release and could be created (a batch item, a serial line), but URLs normalise those path
-- segments away: no request can read, retire or open the sensor, and it counts as silent for ever.
-- New ones are now refused on every path (SensorId); this ends the lifespan of those already here.
--
-- Why a journal event and not an UPDATE of sensors: the journal is the truth. The actor recovers
-- its state from it (snapshot, then later events) and is woken at start while its row shows it
-- alive, so its timer would keep moving a read-model-only "retired" sensor on to late, stale and
-- dead; and a rebuild of the read model would undo the UPDATE. So each such stream gets the event
-- an operator's retirement writes, sensor.status-changed.v1 to Retired, in the event serializer's
-- JSON (SensorEventSerialization: camelCase fields, enum names as strings), numbered after the
-- stream's highest number (events, snapshots and deletions all count, as in the journal's own
-- recovery). The projection applies it like any other event: sensors.status 'retired',
-- retired_at, a state_changes row, the change feed; the woken actor recovers retired, without a
-- deadline. `from` is the stream's latest known status (status-changed, registered or snapshot).
-- Streams already retired are left alone.
WITH streams AS (
    SELECT persistence_id FROM journal WHERE persistence_id ~ '^sensor/\.+$'
    UNION
    SELECT persistence_id FROM snapshots WHERE persistence_id ~ '^sensor/\.+$'
),
latest AS (
    SELECT s.persistence_id,
           greatest(
               (SELECT max(sequence_nr) FROM journal j WHERE j.persistence_id = s.persistence_id),
               (SELECT max(sequence_nr) FROM snapshots n WHERE n.persistence_id = s.persistence_id),
               (SELECT max(deleted_to) FROM journal_deletions d WHERE d.persistence_id = s.persistence_id)) AS highest,
           (SELECT status FROM (
                SELECT sequence_nr,
                       CASE manifest WHEN 'sensor.registered.v1' THEN 'Registered'
                                     ELSE convert_from(payload, 'UTF8')::jsonb ->> 'to' END AS status
                FROM journal j
                WHERE j.persistence_id = s.persistence_id AND manifest IN ('sensor.registered.v1', 'sensor.status-changed.v1')
                UNION ALL
                SELECT sequence_nr, convert_from(payload, 'UTF8')::jsonb ->> 'status'
                FROM snapshots n
                WHERE n.persistence_id = s.persistence_id AND manifest = 'sensor.state.v1'
            ) AS known
            ORDER BY sequence_nr DESC
            LIMIT 1) AS status
    FROM streams s
)
INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, tags)
SELECT persistence_id,
       highest + 1,
       'sensor.status-changed.v1',
       convert_to(jsonb_build_object(
           'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'from', coalesce(status, 'Registered'),
           'to', 'Retired',
           'reason', 'retired by migration 0013: an id of dots only is unreachable by URL')::text, 'UTF8'),
       '{}'
FROM latest
WHERE status IS DISTINCT FROM 'Retired'
ORDER BY persistence_id;
