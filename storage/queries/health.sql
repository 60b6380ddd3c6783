-- Queries for liveness and readiness checks. Every pooled connection prepares each block below
-- before it takes work, so a query here may only use objects that exist after migrations.

-- name: ping
SELECT 1 AS ok
