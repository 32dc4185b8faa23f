#!/usr/bin/env bash
# Starts the whole system locally: a private PostgreSQL (unless FLEETHEALTH_DB names one), the
# server with the built dashboard on http://127.0.0.1:8080, and a simulated fleet. Ctrl-C stops
# everything it started. What it creates for you is printed once as "name: value" lines, among
# them an admin's credentials and the simulator's ingest key. Those are also kept in
# .local/credentials.env (mode 0600, shell syntax) and reused by the next run while the database
# still accepts them; a run on a fresh database makes new ones.
#
# FLEETHEALTH_DB           use this PostgreSQL (Npgsql connection string) instead of a private one
# FLEETHEALTH_PORT         HTTP port (default 8080)
# FLEETHEALTH_NODES        server nodes sharing the fleet as a cluster (default 1); node i listens on
#                          FLEETHEALTH_PORT + i - 1, and the simulator spreads its beats over all of them
# FLEETHEALTH_SIM_SENSORS  simulated sensors (default 300; 0 for none)
# FLEETHEALTH_KEEP_LOGS    earlier runs' logs kept beside each log (server.log.1 newest; default 5)
# FLEETHEALTH_AKKA_PORT    node i's Akka.Remote port is this + i - 1 (default 4053); the first three
#                          nodes are the seed nodes every node is given
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. scripts/lib/rotate-logs.sh
port="${FLEETHEALTH_PORT:-8080}"
nodes="${FLEETHEALTH_NODES:-1}"
sensors="${FLEETHEALTH_SIM_SENSORS:-300}"
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] || { echo "run: FLEETHEALTH_NODES must be 1 to 99" >&2; exit 1; }
# The nodes form one Akka.NET cluster through seed nodes on fixed loopback ports.
akka_port="${FLEETHEALTH_AKKA_PORT:-4053}"
[[ "$akka_port" =~ ^[1-9][0-9]*$ ]] && [ $((akka_port + nodes - 1)) -le 65535 ] || { echo "run: FLEETHEALTH_AKKA_PORT must leave room for $nodes ports" >&2; exit 1; }
state="$repo/.local"
mkdir -p "$state"

pids=()
started_pg=0
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$started_pg" = 1 ]; then scripts/pg.sh stop; fi
  echo "stopped" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "run: $tool is not installed" >&2; exit 1; }
done
for ((i = 0; i < nodes; i++)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$((port + i))") 2>/dev/null; then
    echo "run: port $((port + i)) is already in use; set FLEETHEALTH_PORT" >&2; exit 1
  fi
  # Akka.Remote does not refuse a port another process holds: check, or two nodes would share it.
  if (exec 3<>"/dev/tcp/127.0.0.1/$((akka_port + i))") 2>/dev/null; then
    echo "run: port $((akka_port + i)) is already in use; set FLEETHEALTH_AKKA_PORT" >&2; exit 1
  fi
done

echo "building (dashboard, server, simulator)…" >&2
if [ ! -f frontend/node_modules/.package-lock.json ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  (cd frontend && npm install --no-audit --no-fund --loglevel=error) >&2  # not npm ci: see .ci/run
fi
rotate_log "$state/frontend-build.log"; rotate_log "$state/build.log"
(cd frontend && npm run --silent build) >"$state/frontend-build.log" 2>&1 || { cat "$state/frontend-build.log" >&2; exit 1; }
for project in FleetHealth.Server FleetHealth.Simulator; do
  dotnet build "backend/$project" -c Release --nologo -v quiet >"$state/build.log" 2>&1 || { cat "$state/build.log" >&2; exit 1; }
done

if [ -n "${FLEETHEALTH_DB:-}" ]; then
  db="$FLEETHEALTH_DB"
else
  if ! scripts/pg.sh status; then started_pg=1; fi
  scripts/pg.sh start
  scripts/pg.sh createdb fleethealth
  db="$(scripts/pg.sh url fleethealth)"
fi

server_bin="$repo/backend/FleetHealth.Server/bin/Release/net10.0"
urls=()
# Every node gets the same seed list (at most three seeds; one node alone needs none and
# joins itself). The first seed forms the cluster when no other seed answers.
akka_env=()
if [ "$nodes" -gt 1 ]; then
  for ((s = 0; s < nodes && s < 3; s++)); do
    akka_env+=("Fleet__SeedNodes__$s=akka.tcp://fleethealth@127.0.0.1:$((akka_port + s))")
  done
fi
# The demo fleet beats every 10 s, so the server expects that (grace 5 s): a dropout makes a
# sensor late within seconds, a death makes it stale after 10 minutes.
for ((i = 1; i <= nodes; i++)); do
  node_port=$((port + i - 1))
  log="$state/server.log"; [ "$nodes" -gt 1 ] && log="$state/server-node$i.log"
  rotate_log "$log"
  env "${akka_env[@]}" Fleet__Hostname=127.0.0.1 Fleet__Port=$((akka_port + i - 1)) \
  Database__ConnectionString="$db" Dashboard__Root="$repo/frontend/dist" \
    Liveness__DefaultIntervalSeconds=10 Liveness__DefaultGraceSeconds=5 \
    dotnet "$server_bin/FleetHealth.Server.dll" --contentRoot "$server_bin" --urls "http://127.0.0.1:$node_port" \
    >"$log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$node_port")
done

for ((i = 1; i <= nodes; i++)); do
  url="${urls[$((i - 1))]}"
  for _ in $(seq 1 600); do
    if curl -sf "$url/readyz" >/dev/null 2>&1; then break; fi
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "run: node$i exited; its log:" >&2; tail -n 40 "$state"/server*.log >&2; exit 1; }
    sleep 0.1
  done
  curl -sf "$url/readyz" >/dev/null || { echo "run: node$i did not become ready; see $state/" >&2; exit 1; }
done

# Credentials through the server's own bootstrap commands; reused when they still work here.
base="http://127.0.0.1:$port"
creds="$state/credentials.env"
FLEETHEALTH_ADMIN_USER="" FLEETHEALTH_ADMIN_PASSWORD="" FLEETHEALTH_INGEST_KEY=""
if [ -f "$creds" ]; then . "$creds"; fi
server_command() {
  Database__ConnectionString="$db" Logging__LogLevel__Default=Warning \
    dotnet "$server_bin/FleetHealth.Server.dll" "$@" --contentRoot "$server_bin"
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
login="{\"user\": \"$FLEETHEALTH_ADMIN_USER\", \"password\": \"$FLEETHEALTH_ADMIN_PASSWORD\"}"
if [ -z "$FLEETHEALTH_ADMIN_PASSWORD" ] || [ "$(status_of -H 'Content-Type: application/json' -d "$login" "$base/api/v1/auth/login")" != 200 ]; then
  # --reset: an "admin" left from a run whose credentials file is gone gets a new password.
  out="$(server_command create-admin admin --reset)" || { echo "run: create-admin failed" >&2; exit 1; }
  FLEETHEALTH_ADMIN_USER="$(sed -n 's/^admin-user: //p' <<<"$out")"
  FLEETHEALTH_ADMIN_PASSWORD="$(sed -n 's/^admin-password: //p' <<<"$out")"
fi
# A valid key gets 400 for an empty batch (it passed authentication); a revoked or unknown one 401.
if [ -z "$FLEETHEALTH_INGEST_KEY" ] || [ "$(status_of -H "Authorization: Bearer $FLEETHEALTH_INGEST_KEY" -H 'Content-Type: application/json' -d '[]' "$base/api/v1/heartbeats")" != 400 ]; then
  out="$(server_command create-ingest-key "run.sh simulator")" || { echo "run: create-ingest-key failed" >&2; exit 1; }
  FLEETHEALTH_INGEST_KEY="$(sed -n 's/^ingest-key: //p' <<<"$out")"
fi
(umask 077 && cat >"$creds" <<CREDENTIALS
# Written by scripts/run.sh for its database; source it: . .local/credentials.env
FLEETHEALTH_URL=$base
FLEETHEALTH_ADMIN_USER=$FLEETHEALTH_ADMIN_USER
FLEETHEALTH_ADMIN_PASSWORD=$FLEETHEALTH_ADMIN_PASSWORD
FLEETHEALTH_INGEST_KEY=$FLEETHEALTH_INGEST_KEY
CREDENTIALS
)

echo "dashboard: $base/"
echo "api: $base/api/v1/sensors"
echo "admin-user: $FLEETHEALTH_ADMIN_USER"
echo "admin-password: $FLEETHEALTH_ADMIN_PASSWORD"
echo "ingest-key: $FLEETHEALTH_INGEST_KEY"
echo "credentials: $creds"
echo "akka-remoting: 127.0.0.1:$akka_port-$((akka_port + nodes - 1))"
if [ "$nodes" -gt 1 ]; then
  echo "nodes: ${urls[*]}"
  echo "cluster: http://127.0.0.1:$port/api/v1/cluster"
  echo "server-logs: $state/server-node*.log"
else
  echo "server-log: $state/server.log"
fi
echo "database: $db"

if [ "$sensors" -gt 0 ]; then
  # The key travels in the environment, not on the command line (other users can list those).
  rotate_log "$state/simulator.log"
  FLEETHEALTH_INGEST_KEY="$FLEETHEALTH_INGEST_KEY" \
  dotnet "$repo/backend/FleetHealth.Simulator/bin/Release/net10.0/FleetHealth.Simulator.dll" \
    --url "$(IFS=,; echo "${urls[*]}")" --sensors "$sensors" --interval 10s --queue-dir "$state/sim-queue" \
    --dropout 0.03 --fault 0.005 --death-rate 0.0005 \
    >"$state/simulator.log" 2>&1 &
  pids+=($!)
  echo "simulator: $sensors sensors, log $state/simulator.log"
fi
echo "running; Ctrl-C stops everything" >&2
wait "${pids[0]}"
