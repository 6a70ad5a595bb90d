-- Puts back a private room or group that this Redis lost (a restart without persistence, a failover that lost
-- writes), as the archive holds it, unless another node restored it first. The version goes to the clock in
-- microseconds, or past the archive's if that is higher: above every version the archive has seen, so that the
-- archive keeps applying the room's later changes.
-- KEYS[1] the room's hash, KEYS[2] its members set
-- ARGV[1] kind, ARGV[2] owner or '', ARGV[3] creation epoch ms, ARGV[4] the archive's version, ARGV[5..] members
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local now = redis.call('TIME')
local version = now[1] .. string.format('%06d', tonumber(now[2]))
if tonumber(ARGV[4]) >= tonumber(version) then
  version = string.format('%d', tonumber(ARGV[4]) + 1)
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'owner', ARGV[2], 'created', ARGV[3], 'version', version)
for i = 5, #ARGV do
  redis.call('SADD', KEYS[2], ARGV[i])
end
return 1
