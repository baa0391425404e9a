-- wrk script for bench/clients.sh: each request is a random line of a
-- requests file ("<api token>\t<path>" per line), so the load is spread
-- over the companies' tokens and over the pages, clients or search terms
-- the file lists. Counts responses with status >= 300 (wrk's own counter
-- only counts >= 400) and prints one machine-readable line at the end:
--
--   BENCH requests=N seconds=S rps=R p50_ms=A p99_ms=B max_ms=C non2xx=K
--         connect_err=.. read_err=.. write_err=.. timeout_err=..
--
-- Usage: wrk ... -s bench/lua/clients.lua http://127.0.0.1:PORT -- FILE

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local reqs = {}

function init(args)
	local file = args[1]
	if file == nil then
		error("clients.lua: give the requests file after --")
	end
	for line in io.lines(file) do
		local token, path = line:match("^(%S+)\t(%S+)$")
		if token ~= nil then
			reqs[#reqs + 1] = wrk.format("GET", path,
			    { ["X-API-Token"] = token })
		end
	end
	if #reqs == 0 then
		error("clients.lua: no request in " .. file)
	end
	math.randomseed(os.time() * 1000 + (id or 0) * 7919)
	non2xx = 0
end

function request()
	return reqs[math.random(#reqs)]
end
