/**
 * Lua shared by every script. Data model (all keys under one hash tag, so a script touches one Cluster slot):
 * - CUR hash: `e` store epoch (random id set once; a mismatch means the server lost its data), `r` current revision,
 *   `c` compaction floor, `l` last lease id, and `k<key>` → the key's live record (so a latest read is one HMGET);
 * - IDX zset (score 0) of live keys, for latest lists and counts;
 * - HIST zset (score 0) of `esc(key) \0\0 rev16`, one member per write, so ZRANGEBYLEX walks keys in byte order and
 *   ZREVRANGEBYLEX finds the newest revision ≤ R of one key; VALS hash `rev16 .. key` → superseded records and
 *   tombstones (a key's live record is in CUR only);
 * - LOG stream, one entry `<rev>-0` per revision with (key, record[, '', previous record]) per event;
 * - LEASES zset lease → absolute expiry (ms, server TIME), LTTL hash lease → ttl, LKEYS zset `lease \0 key`.
 * A record is `p|create|mod|version|lease|value` or the tombstone `d|0|mod|0|0|`.
 * `esc` doubles NUL as NUL 0x01 and ends a key with NUL NUL: member order then equals key byte order.
 */
export const PRELUDE = String.raw`
local CUR, IDX, HIST, VALS, LOG, LEASES, LTTL, LKEYS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local function pad(r) return string.format('%016d', r) end
local function esc(k) return (string.gsub(k, '%z', '\0\1')) end
local function unesc(k) return (string.gsub(k, '%z\1', '\0')) end
local function epochBad(e)
  if redis.call('HGET', CUR, 'e') ~= e then return redis.error_reply('SBEPOCH store epoch changed') end
  return nil
end
local function current() return tonumber(redis.call('HGET', CUR, 'r') or '1') end
local function floorRev() return tonumber(redis.call('HGET', CUR, 'c') or '0') end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function header(rec)
  local t, c, m, v, l = string.match(rec, '^(%a)|(%d+)|(%d+)|(%d+)|(%d+)|')
  return t, tonumber(c), tonumber(m), tonumber(v), l
end
local function curRecord(k)
  local rec = redis.call('HGET', CUR, 'k' .. k)
  if not rec then return nil, 0 end
  local _, _, m = header(rec)
  return rec, m
end
local function recordAt(k, r)
  local ek = esc(k) .. '\0\0'
  local hit = redis.call('ZREVRANGEBYLEX', HIST, '[' .. ek .. pad(r), '[' .. ek, 'LIMIT', 0, 1)[1]
  if not hit then return nil end
  local rs = string.sub(hit, -16)
  local rec = redis.call('HGET', VALS, rs .. k)
  if not rec then
    local live, m = curRecord(k)
    if live and m == tonumber(rs) then rec = live end
  end
  if (not rec) or string.sub(rec, 1, 1) == 'd' then return nil end
  return rec
end
local function tomb(k, rev, out)
  local prev, m = curRecord(k)
  local _, _, _, _, l = header(prev)
  local rs = pad(rev)
  local t = 'd|0|' .. rev .. '|0|0|'
  redis.call('HSET', VALS, pad(m) .. k, prev, rs .. k, t)
  redis.call('ZADD', HIST, 0, esc(k) .. '\0\0' .. rs)
  redis.call('HDEL', CUR, 'k' .. k)
  redis.call('ZREM', IDX, k)
  if l ~= '0' then redis.call('ZREM', LKEYS, l .. '\0' .. k) end
  out[#out + 1] = k; out[#out + 1] = t; out[#out + 1] = ''; out[#out + 1] = prev
end
local function revoke(id)
  local lo, hi = '[' .. id .. '\0', '(' .. id .. '\1'
  local members = redis.call('ZRANGEBYLEX', LKEYS, lo, hi)
  redis.call('ZREM', LEASES, id)
  redis.call('HDEL', LTTL, id)
  if #members == 0 then return 0 end
  local rev = current() + 1
  redis.call('HSET', CUR, 'r', rev)
  local out = {}
  for i = 1, #members do tomb(string.sub(members[i], #id + 2), rev, out) end
  redis.call('ZREMRANGEBYLEX', LKEYS, lo, hi)
  redis.call('XADD', LOG, rev .. '-0', unpack(out))
  return rev
end
`;
