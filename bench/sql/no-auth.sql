-- Baseline: the list alone, for a known tenant, without authentication and
-- without row-level security (run as the owner): what the pipeline adds on
-- top of the data itself.
SELECT token_json(t) AS item FROM api_tokens t WHERE t.company_id = :company AND t.revoked_at IS NULL ORDER BY t.created_at DESC, t.id DESC LIMIT 20 OFFSET 0;
