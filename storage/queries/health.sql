-- Queries for liveness and readiness checks. Every pooled connection prepares each block below
-- before it takes work, so a query here may only use objects that exist after migrations.

-- name: ping
SELECT 1 AS ok

-- name: webhook_sync_facts
-- The newest webhook's arrival (ids grow with arrival) and the events needing attention.
-- Rows: last received as ISO-8601 UTC text, failed, dead, last received in epoch ms.
WITH newest AS (SELECT received_at FROM webhook_events ORDER BY id DESC LIMIT 1)
SELECT to_char((SELECT received_at FROM newest) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       (SELECT count(*) FROM webhook_events WHERE status = 'failed'),
       (SELECT count(*) FROM webhook_events WHERE status = 'dead'),
       extract(epoch FROM (SELECT received_at FROM newest)) * 1000
