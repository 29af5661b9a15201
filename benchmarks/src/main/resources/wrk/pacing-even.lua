-- Even pacing for io.keygate.bench.AuthOverhead, appended after "even_interval_us = N" and "even_threads = T"
-- to a copy of auth-mix.lua.
-- Each wrk thread sends on a fixed schedule: slot k at start + k * even_interval_us, whichever of its
-- connections is ready takes the next slot (a constant rate, evenly spaced, as wrk2 paces); the threads'
-- schedules are offset by a fraction of a slot from each other. wrk's delay() counts whole milliseconds, so the
-- requests of one millisecond go out together (about rate / 1000 of them).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } kg_timespec;
  int clock_gettime(int clock_id, kg_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock_now = ffi.new("kg_timespec")
local next_slot_us = nil

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock_now)
  return tonumber(clock_now.tv_sec) * 1e6 + tonumber(clock_now.tv_nsec) / 1e3
end

function delay()
  local now = now_us()
  if next_slot_us == nil then
    next_slot_us = now + (thread_id or 0) * even_interval_us / even_threads
  end
  local wait_us = next_slot_us - now
  next_slot_us = next_slot_us + even_interval_us
  if wait_us <= 0 then
    return 0
  end
  return math.floor(wait_us / 1000 + 0.5)
end
