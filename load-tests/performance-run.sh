#!/usr/bin/env bash
# The performance run: builds the chat node and the load tests, installs the Socket.IO baseline's npm packages, then
# runs chat.loadtest.performance.PerformanceRun, which starts Redis, Kafka and PostgreSQL and then measures one node
# at a time, alone on the last core, with everything else on the other cores:
#   - "before": a chat node jar built before the change being measured (-DbeforeJar=..., its libs/ beside it),
#   - "current": chat-node/target/chat-node.jar (or -DchatNodeJar=...),
#   - "socket.io": the Socket.IO baseline with its classic Redis adapter,
# each in rooms of 10 and rooms of 2: an uncapped warm-up, then rates growing under a CPU cap (-DnodeCpu, default
# 0.4, so that the node saturates before the other core gives out) until a step fails, then one uncapped step at half
# of one core's estimated capacity. It writes load-tests/target/performance/ and its section of BENCHMARKS.md (about
# 15 minutes on 2 cores). Pinning and the cap need root (cgroup v1 at /sys/fs/cgroup/cpu); without it the node shares
# the cores, uncapped.
#
# Options are system properties passed on to the run (PerformancePlan lists them all), e.g.
#   load-tests/performance-run.sh -DbeforeJar=/tmp/before/chat-node.jar -DmaxSteps=4 -DsocketIo=false
# SKIP_BUILD=true skips the Maven build (the chat node's jar and load-tests/target/classes must exist); MVN names
# the Maven command (default ./mvnw).
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
mvn=${MVN:-./mvnw}
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi

if [ "${SKIP_BUILD:-false}" != "true" ]; then
  $mvn -B -q -DskipTests -pl chat-node,load-tests -am install
fi
(cd load-tests/baseline && npm ci --no-audit --no-fund --loglevel=error)
if [ "${SKIP_BUILD:-false}" != "true" ] || [ ! -f load-tests/target/classpath.txt ]; then
  $mvn -B -q -pl load-tests dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$checkout/load-tests/target/classpath.txt" >/dev/null
fi

revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
exec "$JAVA_HOME/bin/java" -Xmx1g -Djava.awt.headless=true -Dchat.checkout="$checkout" -Dchat.revision="$revision" "$@" \
  -cp "$checkout/load-tests/target/classes:$(cat "$checkout/load-tests/target/classpath.txt")" \
  chat.loadtest.performance.PerformanceRun
