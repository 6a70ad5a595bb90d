-- Counts the nodes on which a user is in a room, and announces the user's arrival or departure when that count
-- leaves or reaches zero. KEYS[1] presence hash; ARGV[1] user; ARGV[2] +1 or -1; ARGV[3] channel or '' to stay
-- silent (resynchronising after Redis lost its data); ARGV[4] frame.
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
local joined = tonumber(ARGV[2]) > 0
if ARGV[3] ~= '' and ((joined and n == 1) or ((not joined) and n <= 0)) then
  redis.call('PUBLISH', ARGV[3], ARGV[4])
  return 1
end
return 0
