-- Adds a member to a private room or removes one, if the actor may (its owner, or an admin), and publishes the
-- change on the room's channel in the same step, so that every node with sockets in the room sees it in order with
-- the room's messages: a removed member's sockets leave the room before any later message reaches them.
-- KEYS[1] the room's hash, KEYS[2] its members set (the room's slot, as its channel)
-- ARGV[1] user, ARGV[2] '1' add or '0' remove, ARGV[3] actor, ARGV[4] '1' when the actor is an admin,
-- ARGV[5] 'PUBLISH', or 'SPUBLISH' on a Redis Cluster, ARGV[6] the room's channel, ARGV[7] the frame
-- Returns {outcome, changed, version, owner}, outcome one of done, unknown, fixed, not_owner, owner.
local room = redis.call('HMGET', KEYS[1], 'kind', 'owner', 'version')
if not room[1] then
  return {'unknown', 0, '0', ''}
end
if room[1] ~= 'private' then
  return {'fixed', 0, room[3], ''}
end
if ARGV[3] ~= room[2] and ARGV[4] ~= '1' then
  return {'not_owner', 0, room[3], room[2]}
end
if ARGV[2] == '0' and ARGV[1] == room[2] then
  return {'owner', 0, room[3], room[2]}
end
local changed
if ARGV[2] == '1' then
  changed = redis.call('SADD', KEYS[2], ARGV[1])
else
  changed = redis.call('SREM', KEYS[2], ARGV[1])
end
local version = room[3]
if changed == 1 then
  version = string.format('%d', redis.call('HINCRBY', KEYS[1], 'version', 1))
  redis.call(ARGV[5], ARGV[6], ARGV[7])
end
return {'done', changed, version, room[2]}
