-- wrk script: a closed loop over the request paths listed in a file (one a line).
-- Arguments after "--": <paths file> <request budget per thread>.
-- wrk's -d bounds the time; the budget bounds the count: the thread that reaches
-- its budget stops and (under LuaJIT) interrupts wrk, which then reports the true
-- elapsed time. done() prints one JSON line that bench/load.py reads.

local paths = {}
local position = 0
local budget = 0
local received = 0

local interrupt = function() end
local ok, ffi = pcall(require, "ffi")
if ok then
  ffi.cdef([[
    int getpid(void);
    int kill(int pid, int sig);
  ]])
  interrupt = function() ffi.C.kill(ffi.C.getpid(), 2) end  -- SIGINT: wrk stops and reports
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  budget = tonumber(args[2])
  position = math.random(#paths) - 1
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  received = received + 1
  if received == budget then
    wrk.thread:stop()
    interrupt()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\n{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
