-- Raises a user's read marker of a room, never lowering it, and when it moved tells where it stands now on the
-- channels given (the user's, and in a direct conversation the other user's). One script, so the user's channel
-- carries the user's markers of a room in the order they rose: no socket sees one move back.
-- KEYS[1] the user's read markers: a hash of room -> seq (and '#loaded' once the archive's markers are merged in)
-- ARGV[1] room, ARGV[2] seq, ARGV[3] seconds the hash lives unused (the archive keeps every marker for good)
-- ARGV[4] frame up to the marker, ARGV[5] frame after it, ARGV[6] 'PUBLISH', or 'SPUBLISH' on a Redis Cluster,
-- where the channels must be in KEYS[1]'s slot, ARGV[7..] channels
local current = redis.call('HGET', KEYS[1], ARGV[1]) or '0'
if tonumber(current) >= tonumber(ARGV[2]) then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return {current, 0}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
local frame = ARGV[4] .. ARGV[2] .. ARGV[5]
for i = 7, #ARGV do
  redis.call(ARGV[6], ARGV[i], frame)
end
return {ARGV[2], 1}
