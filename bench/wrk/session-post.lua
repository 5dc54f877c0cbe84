-- POST /session {"session_id": "bench-<n>", "data": 256 bytes, "ttl": 600}, n counting from 0.
local data = string.rep("x", 256)
local n = 0

request = function()
  local body = string.format('{"session_id":"bench-%d","data":"%s","ttl":600}', n, data)
  n = n + 1
  return wrk.format("POST", "/session", { ["Content-Type"] = "application/json" }, body)
end
