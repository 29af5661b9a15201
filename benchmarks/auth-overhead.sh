#!/usr/bin/env bash
# Side-by-side authorization overhead benchmark (issue 9), documented in docs/benchmarks.md.
#   benchmarks/auth-overhead.sh [seconds=8] [rounds=3] [connections=32] [jfrDir]
# Builds the gateway jar and the benchmarks (never mvn install), installs wrk from Debian's packages
# when it is missing, then runs io.keygate.bench.AuthOverhead: two gateways from the same jar,
# 127.0.0.1 only, every run bounded in time and requests. GATEWAY_JAR=... measures another build.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  echo "[bench] installing wrk (Debian package)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q -Pbench -pl keygate-core,api-gateway,benchmarks package -DskipTests
fi
jar="${GATEWAY_JAR:-$(ls api-gateway/target/api-gateway-*-all.jar | head -1)}"
exec java -Xmx512m -cp benchmarks/target/benchmarks.jar io.keygate.bench.AuthOverhead "$jar" "$@"
