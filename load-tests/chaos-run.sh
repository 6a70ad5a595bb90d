#!/usr/bin/env bash
# The chaos run: builds the chat node, the archiver and the load tests, then runs chat.loadtest.chaos.ChaosRun, which
# starts Redis, Kafka and PostgreSQL, two chat nodes and the archiver, keeps a steady chat load going and strikes one
# fault after another (a chat node killed, the archiver killed three times, Kafka, Redis and PostgreSQL killed, a chat
# node drained), then checks every acknowledged message against what each room member received and what PostgreSQL
# holds. Writes load-tests/target/chaos/ (report.md, the ledger as CSV, logs/) and its section of BENCHMARKS.md.
# About 7 minutes after the build.
#
# Options are system properties passed on to the run, e.g.
#   load-tests/chaos-run.sh -Dusers=40 -DroomSize=8 -DratePerUser=2 -DdownSeconds=10 -DsettleSeconds=30
# SKIP_BUILD=true skips the Maven build (the jars and load-tests/target/classes must exist).
# MVN overrides the Maven command, e.g. MVN="flock /tmp/mvn.lock ./mvnw -o".
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
mvn=${MVN:-./mvnw}

if [ "${SKIP_BUILD:-false}" != "true" ]; then
  # One reactor build, no install: each module writes its runtime classpath to its target/classpath.txt.
  $mvn -B -q -DskipTests -pl chat-common,local-stack,archiver,chat-node,load-tests package \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >/dev/null
fi

revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
exec "$JAVA_HOME/bin/java" -Xmx1g -Dchat.checkout="$checkout" -Dchat.revision="$revision" "$@" \
  -cp "$checkout/load-tests/target/classes:$(cat "$checkout/load-tests/target/classpath.txt")" \
  chat.loadtest.chaos.ChaosRun
