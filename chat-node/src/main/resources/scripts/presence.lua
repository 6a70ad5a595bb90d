-- Sets how many sockets a node has of a user in a room, and keeps the room's list of present users with their
-- sockets summed over the nodes. A user is present while any node has a socket of theirs: their arrival is
-- announced when the first node adds them and their departure when the last node removes them, in the same step
-- that adds them to or removes them from the list, so a user listed is one whose arrival was announced and whose
-- departure was not. Setting the same count twice changes nothing, so a node can re-register its members after
-- Redis lost its data without announcing anyone again.
-- KEYS[1] hash node id -> the user's sockets there; KEYS[2] sorted set of present users, all with score 0 so that
-- they page by name; KEYS[3] hash user -> sockets over all nodes
-- ARGV[1] node id; ARGV[2] the user's sockets on that node, 0 when none is left; ARGV[3] user; ARGV[4] channel or ''
-- to stay silent; ARGV[5] frame; ARGV[6] 'PUBLISH', or 'SPUBLISH' on a Redis Cluster (the room's channel shares the
-- keys' slot)
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
-- Summed afresh rather than adjusted by the difference, so that no drift can outlive the next update.
local sockets = 0
for _, count in ipairs(redis.call('HVALS', KEYS[1])) do
  sockets = sockets + tonumber(count)
end
local changed
if sockets > 0 then
  redis.call('HSET', KEYS[3], ARGV[3], sockets)
  changed = redis.call('ZADD', KEYS[2], 0, ARGV[3]) == 1
else
  redis.call('HDEL', KEYS[3], ARGV[3])
  changed = redis.call('ZREM', KEYS[2], ARGV[3]) == 1
end
if changed and ARGV[4] ~= '' then
  redis.call(ARGV[6], ARGV[4], ARGV[5])
  return 1
end
return 0
