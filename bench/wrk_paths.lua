-- wrk script for bench/bench_web.py: GET a rotating list of paths, report percentiles and every kind of error.
--
--   wrk -t1 -c50 -d15s --timeout 10s -s bench/wrk_paths.lua http://127.0.0.1:8000 -- /tmp/paths.txt
--
-- The paths file holds one request path per line (e.g. /events/ev-1, /api/v1/search?q=bridge). Each wrk thread
-- starts at its own offset and walks the list round-robin. done() prints one line
--   STORYLINE-WRK {"requests":..,"seconds":..,"p50_ms":..,"p95_ms":..,"p99_ms":..,"max_ms":..,"non200":..,
--                  "connect":..,"read":..,"write":..,"timeout":..,"status":..}
--                  "cache_hits":..}
-- where non200 counts every answer other than 200 (wrk's own "status" only counts >= 400) and cache_hits the
-- answers the server says came from its answer cache (header x-storyline-cache: hit).

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

local paths = {}
local pos = 1
non200 = 0
hits = 0

function init(args)
   local file = assert(io.open(args[1], "r"), "cannot open the paths file")
   for line in file:lines() do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   file:close()
   assert(#paths > 0, "the paths file is empty")
   pos = ((id or 1) * 7919) % #paths + 1
end

function request()
   local path = paths[pos]
   pos = pos % #paths + 1
   return wrk.format("GET", path)
end

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
   end
   if headers["x-storyline-cache"] == "hit" then
      hits = hits + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   local hit = 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non200") or 0)
      hit = hit + (thread:get("hits") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'STORYLINE-WRK {"requests":%d,"seconds":%.3f,"p50_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
      '"non200":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"cache_hits":%d}\n',
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, bad, e.connect, e.read, e.write, e.timeout, e.status,
      hit))
end
