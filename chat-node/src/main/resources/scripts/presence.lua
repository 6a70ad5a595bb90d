-- Tracks on which nodes a user is in a room, and announces the user's arrival when the first node adds them and
-- departure when the last node removes them. Adding or removing the same node twice changes nothing, so a node
-- can re-register its members after Redis lost its data without announcing anyone again.
-- KEYS[1] set of node ids; ARGV[1] node id; ARGV[2] '1' join or '0' leave; ARGV[3] channel or '' to stay silent;
-- ARGV[4] frame; ARGV[5] 'PUBLISH', or 'SPUBLISH' on a Redis Cluster (the room's channel shares KEYS[1]'s slot)
local changed
if ARGV[2] == '1' then
  changed = redis.call('SADD', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 1
else
  changed = redis.call('SREM', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 0
end
if changed and ARGV[3] ~= '' then
  redis.call(ARGV[5], ARGV[3], ARGV[4])
  return 1
end
return 0
