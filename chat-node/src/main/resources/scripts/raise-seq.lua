-- Lifts a room's counter to at least ARGV[1], so that no seq a node already delivered is assigned again: after a
-- failover the promoted replica may lack the last increments of its old master. A missing counter is left alone:
-- the publish script starts it from the clock, above every seq ever assigned.
-- KEYS[1] seq counter; ARGV[1] the highest seq known to be taken
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
return 0
