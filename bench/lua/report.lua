-- Shared by the wrk scripts of bench/ (dofile'd by clients.lua and
-- ledger.lua): counts responses with status >= 300 (wrk's own counter
-- only counts >= 400) and prints one machine-readable line at the end:
--
--   BENCH requests=N seconds=S rps=R p50_ms=A p99_ms=B max_ms=C non2xx=K
--         connect_err=.. read_err=.. write_err=.. timeout_err=..

local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("id", counter)
	table.insert(threads, thread)
end

function response(status, headers, body)
	if status >= 300 then
		non2xx = non2xx + 1
	end
end

function done(summary, latency, requests)
	local bad = 0
	for _, t in ipairs(threads) do
		bad = bad + (t:get("non2xx") or 0)
	end
	local secs = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format("BENCH requests=%d seconds=%.3f rps=%.1f " ..
	    "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d connect_err=%d " ..
	    "read_err=%d write_err=%d timeout_err=%d\n",
	    summary.requests, secs, summary.requests / secs,
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000, bad, e.connect, e.read, e.write, e.timeout))
end
