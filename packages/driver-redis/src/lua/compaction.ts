import { PRELUDE } from './prelude.js';

/** ARGV: epoch, target → {1} | {-1, floor} (already compacted) | {-2, current}. Raises the floor first. */
export const COMPACT_START = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local target, c, cur = tonumber(ARGV[2]), floorRev(), current()
if target <= c then return {-1, c} end
if target > cur then return {-2, cur} end
redis.call('HSET', CUR, 'c', target)
return {1}
`;

/**
 * ARGV: epoch, target, from key, budget → next from key ('' = done). Per key keeps the newest member ≤ target
 * (dropped too when it is a tombstone) and deletes older ones; at most `budget` members per call.
 */
export const COMPACT_BATCH = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local target, budget = tonumber(ARGV[2]), tonumber(ARGV[4])
local lo, spent = '[' .. esc(ARGV[3]), 0
while true do
  local first = redis.call('ZRANGEBYLEX', HIST, lo, '+', 'LIMIT', 0, 1)[1]
  if not first then return '' end
  local ek = string.sub(first, 1, -17)
  local key = unesc(string.sub(ek, 1, -3))
  if spent >= budget then return key end
  local ms = redis.call('ZRANGEBYLEX', HIST, '[' .. ek, '[' .. ek .. pad(target), 'LIMIT', 0, budget)
  spent = spent + #ms + 1
  local drop = #ms - 1
  if #ms > 0 and #ms < budget then
    local last = ms[#ms]
    -- A tombstone is only in VALS; the live record (in CUR) is never dropped.
    local rec = redis.call('HGET', VALS, string.sub(last, -16) .. key)
    if rec and string.sub(rec, 1, 1) == 'd' then drop = #ms end
  end
  for i = 1, drop do
    redis.call('ZREM', HIST, ms[i])
    redis.call('HDEL', VALS, string.sub(ms[i], -16) .. key)
  end
  if #ms < budget then lo = '[' .. ek .. ':' end
end
`;

/** ARGV: epoch, target, budget → 1 while stream entries below target remain after this call, else 0. */
export const COMPACT_TRIM = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local target, budget = tonumber(ARGV[2]), tonumber(ARGV[3])
local first = redis.call('XRANGE', LOG, '-', '+', 'COUNT', 1)[1]
if not first then return 0 end
local rev = tonumber(string.match(first[1], '^(%d+)'))
if rev >= target then return 0 end
local upto = math.min(target, rev + budget)
redis.call('XTRIM', LOG, 'MINID', upto .. '-0')
if upto < target then return 1 end
return 0
`;
