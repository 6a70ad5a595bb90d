-- Merges the archive's read markers of a user into Redis, none moving back (a marker raised here since the archive
-- was read stays), and notes with '#loaded' that they are in, so that a node reads the archive for a user once per
-- life of the hash rather than on every lookup.
-- KEYS[1] the user's read markers; ARGV[1] seconds the hash lives unused; ARGV[2..] room, seq, room, seq, ...
for i = 2, #ARGV, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if not current or tonumber(current) < tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call('HSET', KEYS[1], '#loaded', '1')
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
