#!/usr/bin/env bash
# The RoomChat load from the scaling run's generator on raw frames (chat.loadtest.wire.WireLoad), against nodes that
# already run: it prints one summary line, writes the summary as JSON, and exits with 0 when the run kept its p99
# objective and error budget, 2 when not. Settings are system properties (RoomChatSettings lists them), e.g.
#
#   load-tests/room-chat.sh -DwsBaseUrls=ws://127.0.0.1:8081,ws://127.0.0.1:8082 \
#     -DauthSecret=$(cat .local-data/dev-secret) -Dusers=400 -DroomSize=10 -Dplacement=sharded \
#     -DratePerUser=2.5 -DleadSeconds=6 -DsendSeconds=30
#
# SKIP_BUILD=true skips the Maven build (load-tests/target/classes and target/classpath.txt must exist).
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export JAVA_HOME
fi
if [ "${SKIP_BUILD:-false}" != "true" ]; then
  ./mvnw -B -q -DskipTests -pl load-tests -am install
  ./mvnw -B -q -pl load-tests dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$checkout/load-tests/target/classpath.txt" >/dev/null
fi
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -DsummaryFile="$checkout/load-tests/target/room-chat-summary.json" "$@" \
  -cp "$checkout/load-tests/target/classes:$(cat "$checkout/load-tests/target/classpath.txt")" \
  chat.loadtest.wire.WireLoad
