-- One page of a room's present users, ascending by id, with each one's sockets over all nodes, and how many are
-- present in all: read in one step, so the page and the count agree with each other and with the presence events
-- published so far (presence.lua changes them together).
-- KEYS[1] sorted set of present users (score 0); KEYS[2] hash user -> sockets
-- ARGV[1] where the page starts, '-' for the first user or '(' .. user for those after user; ARGV[2] the most to read
-- Returns {count, user1, sockets1, user2, sockets2, ...}
local users = redis.call('ZRANGE', KEYS[1], ARGV[1], '+', 'BYLEX', 'LIMIT', 0, ARGV[2])
local reply = {redis.call('ZCARD', KEYS[1])}
if #users == 0 then
  return reply
end
local sockets = redis.call('HMGET', KEYS[2], unpack(users))
for i, user in ipairs(users) do
  reply[#reply + 1] = user
  reply[#reply + 1] = tonumber(sockets[i]) or 0
end
return reply
