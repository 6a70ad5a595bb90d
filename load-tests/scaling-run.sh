#!/usr/bin/env bash
# The scaling run: builds the chat node and the load tests, installs the Socket.IO baseline's npm packages, then
# runs chat.loadtest.scaling.ScalingRun, which starts Redis, Kafka and PostgreSQL, measures the capacity of 1, 2 and
# 4 chat nodes and of 2 Socket.IO nodes under the same CPU cap, and writes load-tests/target/scaling/ and its
# section of BENCHMARKS.md. CPU caps need root (cgroup v1 at /sys/fs/cgroup/cpu); without them it runs uncapped.
#
# Options are system properties passed on to the run, e.g.
#   load-tests/scaling-run.sh -DnodeCounts=1,2 -DcpuPerNode=0.5 -Dbaseline=false -Dconnections=0
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
