import { PRELUDE } from './prelude.js';

/** ARGV: epoch, candidate epoch. Creates the epoch and revision 1 on an empty keyspace; returns the epoch. */
export const INIT = String.raw`${PRELUDE}
local e = redis.call('HGET', CUR, 'e')
if e then return e end
if redis.call('EXISTS', CUR) == 1 then return redis.error_reply('SBEPOCH keyspace has data but no epoch') end
redis.call('HSET', CUR, 'e', ARGV[2], 'r', 1)
return ARGV[2]
`;

/** ARGV: epoch, key, value, expected mod revision, lease, getOnFailure → {1, rev} | {0, current[, record]}. */
export const PUT = String.raw`${PRELUDE}
local k, lease = ARGV[2], ARGV[5]
-- One read for the epoch, the revision and the key's live record.
local state = redis.call('HMGET', CUR, 'e', 'r', 'k' .. k)
if state[1] ~= ARGV[1] then return redis.error_reply('SBEPOCH store epoch changed') end
local cur, prev, m = tonumber(state[2]), state[3], 0
if prev then local _, _, pm = header(prev) m = pm end
if m ~= tonumber(ARGV[4]) then
  if ARGV[6] == '1' and prev then return {0, cur, prev} end
  return {0, cur}
end
if lease ~= '0' and redis.call('HEXISTS', LTTL, lease) == 0 then return redis.error_reply('SBNOLEASE requested lease not found') end
local rev = cur + 1
local create, version, pl = rev, 1, '0'
if prev then
  local _, c, _, v, l = header(prev)
  create, version, pl = c, v + 1, l
  redis.call('HSET', VALS, pad(m) .. k, prev)
end
local rs = pad(rev)
local rec = 'p|' .. create .. '|' .. rev .. '|' .. version .. '|' .. lease .. '|' .. ARGV[3]
redis.call('HSET', CUR, 'r', rev, 'k' .. k, rec)
redis.call('ZADD', HIST, 0, esc(k) .. '\0\0' .. rs)
if not prev then redis.call('ZADD', IDX, 0, k) end
if pl ~= lease then
  if pl ~= '0' then redis.call('ZREM', LKEYS, pl .. '\0' .. k) end
  if lease ~= '0' then redis.call('ZADD', LKEYS, 0, lease .. '\0' .. k) end
end
if prev then redis.call('XADD', LOG, rev .. '-0', k, rec, '', prev) else redis.call('XADD', LOG, rev .. '-0', k, rec) end
return {1, rev}
`;

/** ARGV: epoch, key, expected mod revision, getOnFailure → like PUT; an absent key with expected 0 writes nothing. */
export const DELETE = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local k = ARGV[2]
local prev, m = curRecord(k)
if m ~= tonumber(ARGV[3]) then
  if ARGV[4] == '1' and prev then return {0, current(), prev} end
  return {0, current()}
end
if not prev then return {1, current()} end
local rev = current() + 1
redis.call('HSET', CUR, 'r', rev)
local out = {}
tomb(k, rev, out)
redis.call('XADD', LOG, rev .. '-0', unpack(out))
return {1, rev}
`;

/** ARGV: epoch, ttl seconds → lease id. The expiry is absolute, on the server's clock. */
export const GRANT = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local id = redis.call('HINCRBY', CUR, 'l', 1)
redis.call('ZADD', LEASES, nowMs() + tonumber(ARGV[2]) * 1000, id)
redis.call('HSET', LTTL, id, ARGV[2])
return id
`;

/** ARGV: epoch, lease id → {0} unknown | {1, rev or 0}. All the lease's keys are deleted in one revision. */
export const REVOKE = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
if redis.call('HEXISTS', LTTL, ARGV[2]) == 0 then return {0} end
return {1, revoke(ARGV[2])}
`;

/** ARGV: epoch → {expired leases revoked (0/1), ms until the next expiry or -1}. One lease per call bounds the work. */
export const SWEEP = String.raw`${PRELUDE}
local bad = epochBad(ARGV[1]) if bad then return bad end
local now = nowMs()
local due = redis.call('ZRANGEBYSCORE', LEASES, '-inf', now, 'LIMIT', 0, 1)[1]
local n = 0
if due then revoke(due); n = 1 end
local nxt = redis.call('ZRANGE', LEASES, 0, 0, 'WITHSCORES')
local wait = -1
if nxt[2] then wait = math.max(0, tonumber(nxt[2]) - now) end
return {n, wait}
`;
