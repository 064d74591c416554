-- wrk calls done() once after the run; bench/wrk.ts reads the line that starts with WRK_JSON.
-- wrk measures time in microseconds. errors.status counts answers with a status of 400 or
-- more, so redirects (3xx) count as successes.
-- The method and body come from the environment (bench/wrk.ts sets them).
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
if body ~= nil and body ~= "" then wrk.body = body end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"requestsPerSec":%.2f,' ..
    '"latencyUs":{"mean":%.2f,"max":%d,"p50":%d,"p95":%d,"p99":%d},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    latency.mean, latency.max, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.timeout, errors.status
  ))
end
