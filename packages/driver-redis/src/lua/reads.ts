import { PRELUDE } from './prelude.js';

// Shared replies: {-1, compactRevision} below the floor, {-2, currentRevision} in the future.
const CHECK_REVISION = String.raw`
local cur, r = current(), tonumber(ARGV[3])
if r ~= 0 and r < floorRev() then return {-1, floorRev()} end
if r > cur then return {-2, cur} end
`;

/** ARGV: epoch, key, revision (0 = latest) → {current[, record]}. */
export const GET = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
${CHECK_REVISION}
local rec
if r == 0 or r == cur then rec = curRecord(ARGV[2]) else rec = recordAt(ARGV[2], r) end
if rec then return {cur, rec} end
return {cur}
`;

/** ARGV: epoch, from, end ('' = none) → live keys now in [from, end). */
export const COUNT = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
return redis.call('ZLEXCOUNT', IDX, '[' .. ARGV[2], ARGV[3] == '' and '+' or '(' .. ARGV[3])
`;

/**
 * ARGV: epoch, from, revision (0 = latest), end ('' = none), limit (0 = all, -1 = count only), page budget.
 * → {current, revision read, live keys counted in the covered span, next from ('' = done), key, record, ...}.
 * At the current revision it reads IDX; at a past one it walks HIST key by key (newest member ≤ revision).
 */
export const LIST = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local cur, r = current(), tonumber(ARGV[3])
if r ~= 0 and r < floorRev() then return {-1, floorRev()} end
if r > cur then return {-2, cur} end
local from, to, limit, budget = ARGV[2], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local out = {cur, r, 0, ''}
if r == 0 or r == cur then
  out[2] = cur
  local hi = to == '' and '+' or '(' .. to
  if limit == -1 then out[3] = redis.call('ZLEXCOUNT', IDX, '[' .. from, hi) return out end
  local n = budget
  if limit > 0 and limit < n then n = limit end
  local keys = redis.call('ZRANGEBYLEX', IDX, '[' .. from, hi, 'LIMIT', 0, n)
  if #keys > 0 then
    local fields = {}
    for i = 1, #keys do fields[i] = 'k' .. keys[i] end
    local recs = redis.call('HMGET', CUR, unpack(fields))
    for i = 1, #keys do out[#out + 1] = keys[i]; out[#out + 1] = recs[i] end
  end
  if #keys == n and (limit == 0 or n < limit) then
    out[3] = #keys
    out[4] = keys[#keys] .. '\0'
  else
    out[3] = redis.call('ZLEXCOUNT', IDX, '[' .. from, hi)
  end
  return out
end
local hi = to == '' and '+' or '(' .. esc(to)
local lo = '[' .. esc(from)
local count, taken, steps = 0, 0, 0
while true do
  local first = redis.call('ZRANGEBYLEX', HIST, lo, hi, 'LIMIT', 0, 1)[1]
  if not first then break end
  local ek = string.sub(first, 1, -17)
  local key = unesc(string.sub(ek, 1, -3))
  if steps >= budget then out[4] = key break end
  steps = steps + 1
  do
    local rec = recordAt(key, r)
    if rec then
      count = count + 1
      if limit == 0 or taken < limit then
        taken = taken + 1
        out[#out + 1] = key; out[#out + 1] = rec
      end
    end
  end
  lo = '[' .. ek .. ':'
end
out[3] = count
return out
`;

/** ARGV: epoch, from revision, to revision, max entries → {current, entries} | {-1, compactRevision}. */
export const REPLAY = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local c = floorRev()
if tonumber(ARGV[2]) < c then return {-1, c} end
return {current(), redis.call('XRANGE', LOG, ARGV[2] .. '-0', ARGV[3] .. '-0', 'COUNT', ARGV[4])}
`;

/** ARGV: epoch → {current, compact, bytes used by this keyspace (sampled)}. */
export const STATUS = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local bytes = 0
for i = 1, #KEYS do bytes = bytes + (redis.call('MEMORY', 'USAGE', KEYS[i]) or 0) end
return {current(), floorRev(), bytes}
`;

/** ARGV: epoch → the current revision. */
export const REVISION = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
return current()
`;
