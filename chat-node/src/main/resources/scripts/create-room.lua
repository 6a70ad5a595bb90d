-- Creates a private room or group with its first members unless a room of that name exists, in one step: two
-- people asking for the same name at once cannot both get it. The membership version starts from the clock in
-- microseconds, as a room's seq does, so that a room made again after Redis lost its data never reuses a version
-- the archive has seen.
-- KEYS[1] the room's hash (kind, owner, created, version), KEYS[2] its members set (the room's slot)
-- ARGV[1] kind, ARGV[2] owner or '', ARGV[3] creation epoch ms, ARGV[4..] members
-- Returns {1, version} when created, {0, version, kind, owner, created} when the room existed.
if redis.call('EXISTS', KEYS[1]) == 1 then
  local room = redis.call('HMGET', KEYS[1], 'version', 'kind', 'owner', 'created')
  return {0, room[1], room[2], room[3], room[4]}
end
local now = redis.call('TIME')
local version = now[1] .. string.format('%06d', tonumber(now[2]))
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'owner', ARGV[2], 'created', ARGV[3], 'version', version)
-- One SADD per member: unpack() of a long list would pass Lua's stack limit.
for i = 4, #ARGV do
  redis.call('SADD', KEYS[2], ARGV[i])
end
return {1, version}
