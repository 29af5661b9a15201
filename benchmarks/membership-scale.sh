#!/usr/bin/env bash
# Membership scale benchmark (issue 9) against a real Keycloak 26.7.3 with the extension, documented in
# docs/benchmarks.md. Not part of `mvn verify`; never mvn install (the reactor supplies the extension jar).
#   benchmarks/membership-scale.sh [rounds=15] [jfrFile]
#   MEMBERS=1000 WORKSPACES=1011 benchmarks/membership-scale.sh   # a smaller scale (default 10,000 each)
# Seeds 10,000 workspaces and 11,000 members (about 10-25 min on the shared 2-core machine), then measures
# every operation in alternating rounds and prints medians and ratios ("[keygate-bench] scale: ..." lines).
# With jfrFile, the Keycloak JVM records a flight recording there (JAVA_OPTS_APPEND, read by kc.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-15}"
if [ -n "${2:-}" ]; then
  export JAVA_OPTS_APPEND="-XX:StartFlightRecording=filename=$2,settings=profile"
fi
log="$(mktemp /tmp/membership-scale-XXXXXX.log)"
echo "[bench] full Maven output: $log"
mvn -B verify -pl integration-tests -am -Dtest=MembershipScaleBenchmarkIT -Dkeygate.bench.rounds="$rounds" \
  -Dkeygate.bench.members="${MEMBERS:-10000}" -Dkeygate.bench.workspaces="${WORKSPACES:-10000}" \
  -Dkeygate.it.redirectOutput=false > "$log" 2>&1 &
mvn_pid=$!
tail -n +1 -f "$log" --pid="$mvn_pid" | grep --line-buffered -E '\[keygate-(bench|it)\]|BUILD|Tests run:|FAIL' || true
wait "$mvn_pid"
