/**
 * Lua for the Redis feature state. Each script touches the keys of one entity only (one hash tag), so it runs
 * on one Redis Cluster slot; a transaction's entities go out together in one pipeline (one round trip).
 * The numbers the scripts need (bucket indexes, prune floors, window ranges) are computed in TypeScript by
 * state.rules.ts and passed in, so Lua only adds, compares and stores integers. Integers are formatted with
 * %.0f: exact up to 2^53, unlike tostring().
 */

/**
 * Applies one transaction to one entity and returns its snapshot.
 *
 * KEYS: meta, velocity, dedup, novelty, labels, then one key per distinct dimension, then one per histogram.
 * ARGV (positional, read with a cursor): txn id, t, amount units, small (0/1), dedup floor, dedup ttl,
 * entity ttl, velocity ttl; plans: n × (resolution, current, oldest kept); windows: n × (resolution, from,
 * to); distinct: n × (member, prune floor, k × threshold); novelty: n × field; previous: flag, has location,
 * location; histograms: n × bin; moments: n × (name, value); labels: flag, n × (from, to).
 *
 * Reply: duplicate, 21 velocity numbers, distinct counts, novelty flags, first seen, previous time,
 * located time, location, per histogram its HGETALL array, per moment n, sum, sum of squares, label counts.
 */
export const APPLY_ENTITY_LUA = `
local function fmt(n) return string.format('%.0f', n) end
local a = 0
local function nextArg() a = a + 1; return ARGV[a] end
local function nextNum() a = a + 1; return tonumber(ARGV[a]) end

local txn, t, amount, small = nextArg(), nextNum(), nextNum(), nextNum()
local dedupFloor, dedupTtl, entityTtl, velocityTtl = nextNum(), nextNum(), nextNum(), nextNum()
local metaKey, velocityKey, dedupKey, noveltyKey, labelKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local reply = {}

redis.call('ZREMRANGEBYSCORE', dedupKey, '-inf', '(' .. fmt(dedupFloor))
local dup = redis.call('ZSCORE', dedupKey, txn) ~= false
if not dup then
  redis.call('ZADD', dedupKey, fmt(t), txn)
  redis.call('PEXPIRE', dedupKey, dedupTtl)
end
reply[#reply + 1] = dup and 1 or 0

-- velocity buckets: field "resolution:index" = "count:sum:small"
local nPlans = nextNum()
local plans = {}
for i = 1, nPlans do
  local res, cur, oldest = nextNum(), nextNum(), nextNum()
  plans[res] = { cur = cur, oldest = oldest }
end
local flat = redis.call('HGETALL', velocityKey)
local buckets = {}
for i = 1, #flat, 2 do
  local res, idx = string.match(flat[i], '^(%d+):(%-?%d+)$')
  local c, s, k = string.match(flat[i + 1], '^(%-?%d+):(%-?%d+):(%-?%d+)$')
  buckets[flat[i]] = { res = tonumber(res), idx = tonumber(idx), c = tonumber(c), s = tonumber(s), k = tonumber(k) }
end
if not dup then
  for field, b in pairs(buckets) do
    local plan = plans[b.res]
    if plan == nil or b.idx < plan.oldest then
      redis.call('HDEL', velocityKey, field)
      buckets[field] = nil
    end
  end
  for res, plan in pairs(plans) do
    local field = fmt(res) .. ':' .. fmt(plan.cur)
    local b = buckets[field] or { res = res, idx = plan.cur, c = 0, s = 0, k = 0 }
    b.c = b.c + 1
    b.s = b.s + amount
    b.k = b.k + small
    buckets[field] = b
    redis.call('HSET', velocityKey, field, fmt(b.c) .. ':' .. fmt(b.s) .. ':' .. fmt(b.k))
  end
  redis.call('PEXPIRE', velocityKey, velocityTtl)
end
-- Sum the buckets that exist (a few dozen) into each window, instead of probing every position in range.
local nWindows = nextNum()
local windows = {}
for w = 1, nWindows do
  windows[w] = { res = nextNum(), from = nextNum(), to = nextNum(), c = 0, s = 0, k = 0 }
end
for _, b in pairs(buckets) do
  for w = 1, nWindows do
    local win = windows[w]
    if b.res == win.res and b.idx >= win.from and b.idx <= win.to then
      win.c = win.c + b.c; win.s = win.s + b.s; win.k = win.k + b.k
    end
  end
end
for w = 1, nWindows do
  reply[#reply + 1] = windows[w].c
  reply[#reply + 1] = windows[w].s
  reply[#reply + 1] = windows[w].k
end

-- distinct members: field member = last seen
local keyCursor = 5
local nDistinct = nextNum()
for d = 1, nDistinct do
  keyCursor = keyCursor + 1
  local key = KEYS[keyCursor]
  local member, floor, nThresholds = nextArg(), nextNum(), nextNum()
  local members = {}
  local mflat = redis.call('HGETALL', key)
  for i = 1, #mflat, 2 do members[mflat[i]] = tonumber(mflat[i + 1]) end
  if not dup then
    for m, seen in pairs(members) do
      if seen < floor then redis.call('HDEL', key, m); members[m] = nil end
    end
    local seen = members[member]
    if seen == nil or t > seen then
      members[member] = t
      redis.call('HSET', key, member, fmt(t))
    end
    redis.call('PEXPIRE', key, velocityTtl)
  end
  for i = 1, nThresholds do
    local threshold = nextNum()
    local count = 0
    for _, seen in pairs(members) do if seen >= threshold then count = count + 1 end end
    reply[#reply + 1] = count
  end
end

-- novelty
local nNovelty = nextNum()
for i = 1, nNovelty do
  local field = nextArg()
  local isNew
  if dup then isNew = redis.call('HEXISTS', noveltyKey, field) == 0
  else isNew = redis.call('HSETNX', noveltyKey, field, fmt(t)) == 1 end
  reply[#reply + 1] = isNew and 1 or 0
end
if nNovelty > 0 and not dup then redis.call('PEXPIRE', noveltyKey, entityTtl) end

-- first seen and previous event (meta hash)
local meta = redis.call('HMGET', metaKey, 'first', 'prev', 'loct', 'loc')
local first = tonumber(meta[1])
reply[#reply + 1] = first or t
local wantPrevious, hasLocation, location = nextNum(), nextNum(), nextArg()
local prev = tonumber(meta[2])
if wantPrevious == 1 and prev then
  reply[#reply + 1] = prev
  reply[#reply + 1] = meta[3] or ''
  reply[#reply + 1] = meta[4] or ''
else
  reply[#reply + 1] = ''
  reply[#reply + 1] = ''
  reply[#reply + 1] = ''
end
if not dup then
  if first == nil or t < first then redis.call('HSET', metaKey, 'first', fmt(t)) end
  if wantPrevious == 1 then
    if prev == nil or t >= prev then redis.call('HSET', metaKey, 'prev', fmt(t)) end
    local loct = tonumber(meta[3])
    if hasLocation == 1 and (loct == nil or t >= loct) then
      redis.call('HSET', metaKey, 'loct', fmt(t), 'loc', location)
    end
  end
end

-- histograms: one key each, returned as they were before this event
local nHistograms = nextNum()
for h = 1, nHistograms do
  keyCursor = keyCursor + 1
  local key = KEYS[keyCursor]
  local bin = nextArg()
  reply[#reply + 1] = redis.call('HGETALL', key)
  if not dup then
    redis.call('HINCRBY', key, bin, 1)
    redis.call('PEXPIRE', key, entityTtl)
  end
end

-- integer moments in the meta hash
local nMoments = nextNum()
for i = 1, nMoments do
  local name, value = nextArg(), nextNum()
  local m = redis.call('HMGET', metaKey, 'mn:' .. name, 'ms:' .. name, 'mq:' .. name)
  reply[#reply + 1] = tonumber(m[1]) or 0
  reply[#reply + 1] = tonumber(m[2]) or 0
  reply[#reply + 1] = tonumber(m[3]) or 0
  if not dup then
    redis.call('HINCRBY', metaKey, 'mn:' .. name, 1)
    redis.call('HINCRBY', metaKey, 'ms:' .. name, fmt(value))
    redis.call('HINCRBY', metaKey, 'mq:' .. name, fmt(value * value))
  end
end
if not dup then redis.call('PEXPIRE', metaKey, entityTtl) end

-- FRAUD labels known so far, by report day
local wantLabels = nextNum()
if wantLabels == 1 then
  local nLabelWindows = nextNum()
  local lflat = redis.call('HGETALL', labelKey)
  local days = {}
  for i = 1, #lflat, 2 do days[tonumber(lflat[i])] = tonumber(lflat[i + 1]) end
  for w = 1, nLabelWindows do
    local from, to = nextNum(), nextNum()
    local count = 0
    for idx, c in pairs(days) do if idx >= from and idx <= to then count = count + c end end
    reply[#reply + 1] = count
  end
end
return reply
`;

/**
 * Remembers what a transaction touched, for a later label. KEYS: index key. ARGV: encoded targets, ttl ms.
 */
export const INDEX_TRANSACTION_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`;

/**
 * Claims a transaction for FRAUD counting. KEYS: index key, labelled key. ARGV: ttl ms.
 * Reply: 0 unknown transaction, 1 already counted, else the encoded targets.
 */
export const CLAIM_LABEL_LUA = `
local targets = redis.call('GET', KEYS[1])
if not targets then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 1 end
return targets
`;

/** Counts one FRAUD label on an entity. KEYS: labels key. ARGV: current day, oldest day kept, ttl ms. */
export const COUNT_LABEL_LUA = `
local current, oldest = tonumber(ARGV[1]), tonumber(ARGV[2])
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  if tonumber(flat[i]) < oldest then redis.call('HDEL', KEYS[1], flat[i]) end
end
redis.call('HINCRBY', KEYS[1], string.format('%.0f', current), 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;
