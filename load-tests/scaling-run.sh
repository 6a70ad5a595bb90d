#!/usr/bin/env bash
# The scaling run: builds the chat node and the load tests, installs the Socket.IO baseline's npm packages, then
# runs chat.loadtest.scaling.ScalingRun, which starts Redis, Kafka and PostgreSQL and then
#   - runs a fixed load against 1, 2, 4 and 8 uncapped chat nodes, rooms sharded and spread, measuring every
#     process's CPU per message (at N = 1 also from Gatling, to compare the two load generators),
#   - does the same against the Socket.IO baseline with its classic and its sharded Redis adapter,
#   - searches the capacity of 1, 2 and 4 chat nodes under a CPU cap each,
#   - fits the Universal Scalability Law to the cost runs,
# and writes load-tests/target/scaling/ and its section of BENCHMARKS.md (about 25 minutes on 2 cores). CPU caps need
# root (cgroup v1 at /sys/fs/cgroup/cpu); without them the capacity searches run uncapped.
#
# Options are system properties passed on to the run (ScalingPlan lists them all), e.g.
#   load-tests/scaling-run.sh -DcostNodeCounts=1,2,4 -DcostRate=1500 -DnodeCounts=1,2 -DsocketIo=false
# SKIP_BUILD=true skips the Maven build (the chat node's jar and load-tests/target/classes must exist).
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi

if [ "${SKIP_BUILD:-false}" != "true" ]; then
  ./mvnw -B -q -DskipTests -pl chat-node,load-tests -am install
fi
(cd load-tests/baseline && npm ci --no-audit --no-fund --loglevel=error)
./mvnw -B -q -pl load-tests dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$checkout/load-tests/target/classpath.txt" >/dev/null

revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
exec "$JAVA_HOME/bin/java" -Xmx1g -Djava.awt.headless=true -Dchat.checkout="$checkout" -Dchat.revision="$revision" "$@" \
  -cp "$checkout/load-tests/target/classes:$(cat "$checkout/load-tests/target/classpath.txt")" \
  chat.loadtest.scaling.ScalingRun
