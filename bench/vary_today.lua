-- wrk script: the same plan URL with a different `today` on every request, so that no
-- worker can answer from its response cache: every request is planned afresh.
local counter = 0
request = function()
  counter = counter + 1
  local day = os.date("!%Y-%m-%d", 1767225600 + (counter % 20000) * 86400)
  local path = wrk.path:gsub("today=[%d%-]+", "today=" .. day)
  return wrk.format("GET", path)
end
