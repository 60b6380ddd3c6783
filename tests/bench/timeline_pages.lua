-- wrk script for timeline_bench.sh: each request asks for the next page of the walk recorded in
-- $TIMELINE_TARGETS (one path per line), with the session cookie in $TIMELINE_COOKIE.
local targets = {}
for line in io.lines(os.getenv("TIMELINE_TARGETS")) do
  targets[#targets + 1] = line
end
local next_index = 0
wrk.headers["Cookie"] = os.getenv("TIMELINE_COOKIE")

request = function()
  next_index = next_index % #targets + 1
  return wrk.format("GET", targets[next_index])
end

response = function(status)
  if status ~= 200 then
    print("unexpected status " .. status)
  end
end
