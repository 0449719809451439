-- wrk script of the ingestion bench: each request POSTs a batch of 50 new events (exposures,
-- executions, feedback) with ids unique per round, thread and request; counts 202 answers
-- (wrk stops with one request in flight per connection: the server may still store it).
-- Exposures are real: each names a subject of <subjects-file> ("subject variant" per line, the
-- variants version 1 of env "bench" assigns, written by bench/events.mjs with the SDK core), so
-- the Worker's exposure check accepts them all.
-- Usage: wrk -s bench/events-post.lua <url> -- <round> <subjects-file>
local threads = {}
local counter = 0
acked = 0
local shown = 0
local round = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local subjects, variants = {}, {}

function init(args)
  round = tonumber(args[1]) or 0
  for line in io.lines(args[2]) do
    local s, v = line:match("^(%S+) (%S+)$")
    table.insert(subjects, s)
    table.insert(variants, v)
  end
end

local function event(i, ts)
  local id = string.format("%08x-%04x-4000-8%03x-%012x", round, tid, i, counter)
  local subject = string.format("s-%d-%d-%d", round, tid, (counter * 7 + i) % 5000)
  local kind = i % 5
  local base = '"id":"' .. id .. '","env":"bench","ts":' .. ts .. ',"subject":"' .. subject .. '"'
  local of = ',"flag":"model","variant":"' .. ((i % 2 == 0) and "small" or "large") .. '","assignmentId":"a-' .. i .. '"'
  if kind == 0 then
    local k = (counter * 7 + i) % #subjects + 1
    local exposed = '"id":"' .. id .. '","env":"bench","ts":' .. ts .. ',"subject":"' .. subjects[k] .. '"'
    return '{"type":"exposure",' .. exposed .. ',"flag":"model","variant":"' .. variants[k] .. '","assignmentId":"a-' .. i .. '","allocation":"exp","version":1}'
  elseif kind == 1 then
    return '{"type":"feedback",' .. base .. of .. ',"rating":"up"}'
  else
    return '{"type":"execution",' .. base .. of .. ',"model":"gpt-4o-mini","latencyMs":' .. (300 + i) .. ',"inputTokens":120,"outputTokens":80,"cost":0.0004}'
  end
end

function request()
  counter = counter + 1
  local ts = os.time() * 1000
  local events = {}
  for i = 1, 50 do events[i] = event(i, ts) end
  return wrk.format("POST", nil, { ["Content-Type"] = "text/plain" }, "[" .. table.concat(events, ",") .. "]")
end

function response(status, headers, body)
  if status == 202 then
    acked = acked + 1
  elseif shown < 3 then
    shown = shown + 1
    io.write(string.format("status %d: %s\n", status, string.sub(body, 1, 300)))
  end
end

function done()
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("acked") or 0) end
  io.write(string.format("ACKED %d\n", total))
end
