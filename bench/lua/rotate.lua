-- Used by bench/run.py, which puts these settings in front of this file:
--   DATA_FILE  one item a line: a path (MODE "path") or a request body (MODE "body")
--   MODE, METHOD, PATH (for MODE "body"), HEADERS (a Lua table), ONCE (true: never send an item
--   twice; a thread that runs out stops, and done() reports it)
-- Each wrk thread takes every THREADS-th item, starting at its own number, so with ONCE no two
-- requests ever carry the same item (the filing benchmark: one finished draft per request).

local threads, next_id = {}, 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local items, index, reused = {}, 0, 0

function init(args)
  for line in io.lines(DATA_FILE) do
    if #line > 0 then table.insert(items, line) end
  end
  index = tid
end

function request()
  index = index + THREADS
  local position = index - THREADS + 1  -- 1-based: tid + 1, tid + 1 + THREADS, ...
  if position > #items then
    if ONCE then
      reused = reused + 1
      wrk.thread:stop()
    end
    position = ((position - 1) % #items) + 1
  end
  local item = items[position]
  if MODE == "path" then
    return wrk.format(METHOD, item, HEADERS, nil)
  end
  return wrk.format(METHOD, PATH, HEADERS, item)
end

function done(summary, latency, requests)
  local total_reused = 0
  for _, thread in ipairs(threads) do
    total_reused = total_reused + (thread:get("reused") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, ' ..
    '"errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "reused": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, total_reused))
end
