-- wrk script for the load test: each request picks the next of the public pages listed in
-- bench/tmp/urls.txt (one path per line), and the run reports its status classes as JSON.
local paths = {}
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  counter = math.random(#paths)
  status_2xx, status_3xx, status_4xx, status_5xx, status_503 = 0, 0, 0, 0, 0
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if status >= 500 then
    status_5xx = status_5xx + 1
    if status == 503 then status_503 = status_503 + 1 end
  elseif status >= 400 then status_4xx = status_4xx + 1
  elseif status >= 300 then status_3xx = status_3xx + 1
  else status_2xx = status_2xx + 1 end
end

function done(summary, latency, requests)
  local totals = {s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0, s503 = 0}
  for _, thread in ipairs(threads) do
    totals.s2xx = totals.s2xx + thread:get("status_2xx")
    totals.s3xx = totals.s3xx + thread:get("status_3xx")
    totals.s4xx = totals.s4xx + thread:get("status_4xx")
    totals.s5xx = totals.s5xx + thread:get("status_5xx")
    totals.s503 = totals.s503 + thread:get("status_503")
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"status_errors": %d, "s2xx": %d, "s3xx": %d, "s4xx": %d, "s5xx": %d, "s503": %d, "p50_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    totals.s2xx, totals.s3xx, totals.s4xx, totals.s5xx, totals.s503,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
