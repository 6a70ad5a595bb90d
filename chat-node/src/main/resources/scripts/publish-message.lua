-- Assigns a room's next seq, keeps the message in the room's recent buffer and publishes it, atomically:
-- Redis runs scripts one at a time, so every subscriber receives a room's messages in seq order.
-- KEYS[1] seq counter, KEYS[2] recent-buffer stream, KEYS[3] the counter's starting value,
-- KEYS[4], KEYS[5] the room's current versions and changed messages (publish-change.lua),
-- KEYS[6] sender+cid dedupe key, absent when the message has no cid (all in the room's slot)
-- ARGV[1] message JSON without seq, from just after its opening brace
-- ARGV[2] frame head before the seq, ARGV[3] frame head after the seq
-- ARGV[4] recent-buffer length, ARGV[5] dedupe seconds, ARGV[6] recent-buffer idle seconds,
-- ARGV[7] 'PUBLISH', or 'SPUBLISH' on a Redis Cluster, where the channels must be in KEYS[1]'s slot, ARGV[8..] channels
local dedupe = KEYS[6]
if dedupe then
  local prior = redis.call('GET', dedupe)
  if prior then
    return {0, prior}
  end
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- A missing counter is a new room or lost Redis data: start from the clock in microseconds, which is above
  -- every seq ever assigned unless a room averaged more than a million messages a second, so no seq is reused.
  local now = redis.call('TIME')
  local base = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('SET', KEYS[1], base)
  -- The base tells readers that no message of this room in this Redis has a seq at or below it.
  redis.call('SET', KEYS[3], base)
end
local seq = redis.call('INCR', KEYS[1])
local seqText = string.format('%d', seq)
local msg = '{"seq":' .. seqText .. ',' .. ARGV[1]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], seqText .. '-0', 'm', msg)
redis.call('EXPIRE', KEYS[2], ARGV[6])
-- The versions of edited messages live as long as the buffer that holds the messages (no-ops while there are none).
redis.call('EXPIRE', KEYS[4], ARGV[6])
redis.call('EXPIRE', KEYS[5], ARGV[6])
if dedupe then
  redis.call('SET', dedupe, msg, 'EX', ARGV[5])
end
local frame = ARGV[2] .. seqText .. ARGV[3] .. '\n' .. msg
for i = 8, #ARGV do
  redis.call(ARGV[7], ARGV[i], frame)
end
return {seq, msg}
