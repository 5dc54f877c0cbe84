-- GET /session/bench-<n> for n in [0, STORED): sessions the bench stored before the run.
local stored = tonumber(os.getenv("STORED"))
local n = 0

request = function()
  local path = "/session/bench-" .. (n % stored)
  n = n + 1
  return wrk.format("GET", path)
end
