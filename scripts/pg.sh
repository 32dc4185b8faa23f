#!/usr/bin/env bash
# A private PostgreSQL for development and tests, started from the machine's own binaries.
#
#   scripts/pg.sh start    initdb if needed, start (or reuse if running), wait until it accepts connections
#   scripts/pg.sh stop     stop it cleanly (fast shutdown), if running
#   scripts/pg.sh status   exit 0 when running
#   scripts/pg.sh url [DB] print the Npgsql connection string (of database DB, default postgres)
#   scripts/pg.sh createdb NAME   create database NAME unless it exists
#
# FLEETHEALTH_PG_DIR   cluster folder (default .local/pg in the repo, ignored by git)
# FLEETHEALTH_PG_PORT  TCP port on 127.0.0.1 (default 54329)
#
#   scripts/pg.sh destroy  stop it and delete the cluster (its folder, and where it lives, below)
#
# It listens on loopback only, and its unix socket lives inside the cluster folder, so it never
# collides with a system PostgreSQL. Authentication is "trust" for the local OS user: it is a
# development database that nothing outside this machine can reach.
#
# Run as root, the server runs as the 'postgres' user, which must be able to reach the cluster
# folder. A clone inside a folder only root may enter (root's home, a mktemp -d folder) keeps the
# cluster in /var/lib/fleethealth/pg/<hash of the folder's path> instead, mode 0700 and owned by
# postgres, and FLEETHEALTH_PG_DIR becomes a link to it: the user's folder is never opened to others.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${FLEETHEALTH_PG_DIR:-$repo/.local/pg}"
port="${FLEETHEALTH_PG_PORT:-54329}"
as_root() { [ "$(id -u)" = 0 ]; }

# PostgreSQL refuses to run as root; on root-only machines (CI, containers) run it as 'postgres'.
ensure_postgres_user() { id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres; }

# The folder the cluster really lives in: $dir itself, or (root, $dir not reachable by postgres)
# one under /var/lib/fleethealth/pg that $dir links to. Made on start; found again by the link.
place() {
  mkdir -p "$(dirname "$dir")"
  if [ -L "$dir" ] || ! as_root; then return 0; fi
  ensure_postgres_user
  local probe="$dir"; [ -e "$dir" ] || probe="$(dirname "$dir")"
  if runuser -u postgres -- test -x "$probe" 2>/dev/null; then return 0; fi
  [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || { echo "postgres: $dir is not reachable by the postgres user and not empty; move it away" >&2; exit 1; }
  local home; home="/var/lib/fleethealth/pg/$(realpath -m "$dir" | sha256sum | cut -c1-16)"
  mkdir -p "$home"; chmod 0755 /var/lib/fleethealth /var/lib/fleethealth/pg; chmod 0700 "$home"
  rmdir "$dir" 2>/dev/null || true
  ln -s "$home" "$dir"
}

real_dir() { realpath -m "$dir"; }
data="$(real_dir)/data"
sock="$(real_dir)/run"
log="$(real_dir)/postgres.log"
refresh_paths() { data="$(real_dir)/data"; sock="$(real_dir)/run"; log="$(real_dir)/postgres.log"; }

as_owner() {
  if as_root; then
    ensure_postgres_user
    chown -R postgres "$(real_dir)"
    (cd / && runuser -u postgres -- "$@")  # from /: the caller's folder may be closed to postgres
  else
    "$@"
  fi
}

superuser() { if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi; }

# A reused cluster keeps the port it was started on; postmaster.pid's fourth line records it.
actual_port() { if running; then sed -n 4p "$data/postmaster.pid"; else echo "$port"; fi; }

url() { echo "Host=127.0.0.1;Port=$(actual_port);Username=$(superuser);Database=${1:-postgres}"; }

createdb() {
  local name="$1" p; p="$(actual_port)"
  if ! psql -h 127.0.0.1 -p "$p" -U "$(superuser)" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$p" -U "$(superuser)" -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

running() { [ -f "$data/postmaster.pid" ] && as_owner pg_ctl -D "$data" status >/dev/null 2>&1; }

start() {
  place
  refresh_paths
  mkdir -p "$(real_dir)" "$sock"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner initdb -D "$data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      --username="$(superuser)" >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if running; then
    echo "postgres: reusing the cluster running in $data" >&2
  else
    as_owner pg_ctl -D "$data" -l "$log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$sock \
       -c max_connections=300 -c shared_buffers=256MB -c fsync=on -c synchronous_commit=on" >/dev/null \
      || { tail -n 30 "$log" >&2; exit 1; }
  fi
  # pg_ctl -w waits for the postmaster; also wait until a real session is accepted on the TCP port.
  for _ in $(seq 1 100); do
    if pg_isready -q -h 127.0.0.1 -p "$(actual_port)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "postgres: not accepting connections on 127.0.0.1:$port; see $log" >&2
  exit 1
}

stop() {
  if running; then as_owner pg_ctl -D "$data" -m fast -w -t 60 stop >/dev/null; fi
}

destroy() {
  stop
  local real; real="$(real_dir)"
  if [ -L "$dir" ]; then rm -f "$dir"; fi
  rm -rf "$real"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  destroy) destroy ;;
  status) running ;;
  url) url "${2:-postgres}" ;;
  createdb) [ -n "${2:-}" ] || { echo "usage: $0 createdb NAME" >&2; exit 2; }; createdb "$2" ;;
  *) echo "usage: $0 start|stop|destroy|status|url [DB]|createdb NAME" >&2; exit 2 ;;
esac
