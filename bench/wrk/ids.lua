-- GET PREFIX<id> for the ids in IDS_FILE (one a line), in order, each once while they last: a
-- cold cache stays cold.
local prefix = os.getenv("PREFIX") or "/"
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local n = 0

request = function()
  n = n + 1
  return wrk.format("GET", prefix .. ids[(n - 1) % #ids + 1])
end
