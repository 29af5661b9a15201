-- Traffic mixes for io.keygate.bench.AuthOverhead (wrk 4, LuaJIT).
-- args: mix reusedFile newFile newOffset newCount threads maxRequestsPerThread runTag
--   mix "reused": every request reads one model with one of the reused tokens.
--   mix "new":    as "reused", but every 50th request (2 %) carries a token never sent before
--                 (from newFile lines [newOffset, newOffset + newCount), split between threads).
--   mix "rw":     reused tokens; every 10th request creates a model (POST, unique name), the rest read.
--   mix "fresh":  every request carries a token never sent before (a warm-up of their path, not measured).
-- Each thread stops after maxRequestsPerThread requests or when its never-seen tokens run out,
-- so a run is bounded in requests as well as by wrk's -d. wrk divides by the whole -d whatever
-- happens, so a thread that stopped early would understate the rate: the result line counts
-- such threads ("stopped_early"), and AuthOverhead refuses a run that has any.
-- AuthOverhead appends "function delay() ... end" to a copy of this script for the paced runs.

local read_path = "/apis/models/v2/workspaces/ml-team/models/llama-3"
local write_path = "/apis/models/v2/workspaces/ml-team/models"
-- thread_id is a global: thread:set() writes the thread's globals (a local here would shadow it)
local next_thread = 0
local threads_started = {}

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  threads_started[#threads_started + 1] = thread
end

local function load(path, first, count, threads, id)
  local out, index = {}, 0
  for line in io.lines(path) do
    if #line > 0 then
      if index >= first and index < first + count and (index - first) % threads == id then
        out[#out + 1] = line
      end
      index = index + 1
    end
  end
  return out
end

function init(args)
  thread_id = thread_id or 0
  mix = args[1]
  local threads = tonumber(args[6])
  reused = load(args[2], 0, 1e9, 1, 0)
  fresh = (mix == "new" or mix == "fresh") and load(args[3], tonumber(args[4]), tonumber(args[5]), threads, thread_id) or {}
  limit = tonumber(args[7])
  tag = args[8] .. "-t" .. thread_id
  sent, fresh_used, stopped_early = 0, 0, 0
end

function request()
  sent = sent + 1
  if sent > limit then
    stopped_early = 1
    wrk.thread:stop()
  end
  local token = reused[(sent % #reused) + 1]
  if mix == "fresh" or (mix == "new" and sent % 50 == 0) then
    fresh_used = fresh_used + 1
    if fresh_used > #fresh then
      stopped_early = 1
      wrk.thread:stop()
    else
      token = fresh[fresh_used]
    end
  end
  local headers = { ["Authorization"] = "Bearer " .. token }
  if mix == "rw" and sent % 10 == 0 then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", write_path, headers, '{"name":"m-' .. tag .. '-' .. sent .. '"}')
  end
  return wrk.format("GET", read_path, headers)
end

function done(summary, latency, requests)
  local early = 0
  for _, thread in ipairs(threads_started) do
    early = early + (thread:get("stopped_early") or 0)
  end
  io.write(string.format("KG-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors_status=%d errors_socket=%d stopped_early=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, early))
  -- the whole latency histogram (microseconds:count), so runs can be pooled: latency(i) is wrk's i-th recorded value
  local buckets = {}
  for i = 1, #latency do
    local micros, count = latency(i)
    buckets[i] = string.format("%d:%d", micros, count)
  end
  io.write("KG-LATENCY " .. table.concat(buckets, " ") .. "\n")
end
