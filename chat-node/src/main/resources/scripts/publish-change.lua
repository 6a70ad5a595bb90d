-- Publishes an edit or a deletion of a message as publish-message.lua publishes a message, atomically: the change
-- takes the room's next seq, enters the room's recent buffer, becomes the message's current version, and is
-- published, so every subscriber sees it after the message and in seq order with the room's other events.
-- KEYS[1] seq counter, KEYS[2] recent-buffer stream, KEYS[3] the counter's starting value,
-- KEYS[4] current versions (hash: message seq -> the message as it now stands),
-- KEYS[5] changed messages (sorted set: message seq scored by the seq of its latest change),
-- KEYS[6] editor+cid dedupe key, absent when the change has no cid (all in the room's slot)
-- ARGV[1] the message's seq, ARGV[2] the change's event kind, ARGV[3] the version JSON up to the change's seq,
-- ARGV[4] the version JSON after it, ARGV[5] frame head before the seq, ARGV[6] frame head after the seq,
-- ARGV[7] recent-buffer length, ARGV[8] dedupe seconds, ARGV[9] idle seconds, ARGV[10] 'PUBLISH' or 'SPUBLISH',
-- ARGV[11..] channels
-- Returns {seq, version}; {0, version} for a repeated cid; {-1, tombstone} when the message is deleted already.
local dedupe = KEYS[6]
if dedupe then
  local prior = redis.call('GET', dedupe)
  if prior then
    return {0, prior}
  end
end
local current = redis.call('HGET', KEYS[4], ARGV[1])
-- Only a tombstone has a "deleted" field: inside a JSON string a quote is escaped, so no text can fake it.
if current and string.find(current, '"deleted":{', 1, true) then
  return {-1, current}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- As in publish-message.lua: a lost counter starts from the clock, above every seq the room ever had.
  local now = redis.call('TIME')
  local base = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('SET', KEYS[1], base)
  redis.call('SET', KEYS[3], base)
end
local seq = redis.call('INCR', KEYS[1])
local seqText = string.format('%d', seq)
local version = ARGV[3] .. seqText .. ARGV[4]
-- 'k' and 't' tell a change from a message in the buffer: what it is, and the seq of the message it changes.
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], seqText .. '-0', 'm', version, 'k', ARGV[2], 't', ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[9])
-- Readers of the buffer (and of the archive, which may lag) show a changed message as it now stands. The versions
-- of the room's latest changes are kept, as many as the buffer holds entries: at least as far back as the buffer,
-- which covers the archive's lag.
redis.call('HSET', KEYS[4], ARGV[1], version)
redis.call('ZADD', KEYS[5], seq, ARGV[1])
local excess = redis.call('ZCARD', KEYS[5]) - tonumber(ARGV[7])
if excess > 0 then
  local oldest = redis.call('ZRANGE', KEYS[5], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[5], 0, excess - 1)
  redis.call('HDEL', KEYS[4], unpack(oldest))
end
redis.call('EXPIRE', KEYS[4], ARGV[9])
redis.call('EXPIRE', KEYS[5], ARGV[9])
if dedupe then
  redis.call('SET', dedupe, version, 'EX', ARGV[8])
end
local frame = ARGV[5] .. seqText .. ARGV[6] .. '\n' .. version
for i = 11, #ARGV do
  redis.call(ARGV[10], ARGV[i], frame)
end
return {seq, version}
