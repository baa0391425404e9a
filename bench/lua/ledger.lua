-- wrk script for bench/ledger.sh: every request posts one ledger entry to
-- a random line of a requests file ("<api token>\t<path>" per line, the
-- path /api/v1/clients/{id}/ledger), with an Idempotency-Key of its own
-- (thread, run, counter), alternating invoices and payments. Prints the
-- same machine-readable line as clients.lua:
--
--   BENCH requests=N seconds=S rps=R p50_ms=A p99_ms=B max_ms=C non2xx=K
--         connect_err=.. read_err=.. write_err=.. timeout_err=..
--
-- Usage: wrk ... -s bench/lua/ledger.lua http://127.0.0.1:PORT -- FILE

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local targets = {}
local n = 0
local run = 0

local bodies = {
	'{"kind":"invoice","amount":"12.34","reference":"Bench invoice"}',
	'{"kind":"payment","amount":"-5.00","reference":"Bench payment"}',
}

function init(args)
	for line in io.lines(args[1]) do
		local token, path = line:match("^(%S+)\t(%S+)$")
		if token ~= nil then
			targets[#targets + 1] = { token = token, path = path }
		end
	end
	if #targets == 0 then
		error("ledger.lua: no request in " .. tostring(args[1]))
	end
	math.randomseed(os.time() * 1000 + (id or 0) * 7919)
	run = math.random(1, 1000000000)
	non2xx = 0
end

function request()
	local t = targets[math.random(#targets)]
	n = n + 1
	return wrk.format("POST", t.path, {
		["X-API-Token"] = t.token,
		["Content-Type"] = "application/json",
		["Idempotency-Key"] = string.format("wrk-%d-%d-%d", id or 0, run, n),
	}, bodies[n % 2 + 1])
end
