#!/usr/bin/env bash
# A running chat node's CPU by stage of a message's way through it (chat.loadtest.profile.StageBreakdown):
#
#   load-tests/profile-node.sh <node pid> [seconds, default 15] [node CPU-µs per message]
#
# Records the node with perf while it is under load (start the load first), names its compiled Java frames with
# jcmd Compiler.perfmap, and prints each stage's share of the samples (and its µs per message when the third
# argument gives the node's CPU per message). Whole Java stacks need the node started with
# -XX:+PreserveFramePointer (JAVA_TOOL_OPTIONS); perf must be installed and allowed to read the process.
set -euo pipefail
cd "$(dirname "$0")/.."
pid=$1
seconds=${2:-15}
perMessage=${3:-0}
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
perf record -F 999 -g -p "$pid" -o "$data/perf.data" -- sleep "$seconds" >/dev/null 2>&1
"$JAVA_HOME/bin/jcmd" "$pid" Compiler.perfmap >/dev/null
perf script -i "$data/perf.data" 2>/dev/null \
  | "$JAVA_HOME/bin/java" -DcpuPerMessage="$perMessage" -cp load-tests/target/classes chat.loadtest.profile.StageBreakdown
