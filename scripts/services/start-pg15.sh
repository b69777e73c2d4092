#!/bin/bash
# Starts the system PostgreSQL 15 as a throwaway cluster under DIR (created if needed), as root, and prints its
# connection URL. The server runs as user postgres (it refuses root), listens on 127.0.0.1 only, keeps its socket
# in DIR, and runs with fsync off: it is for tests, never for data you want to keep.
# Usage: start-pg15.sh DIR PORT        Stop it with: stop-pg15.sh DIR
set -euo pipefail
D=${1:?usage: start-pg15.sh DIR PORT}; PORT=${2:?usage: start-pg15.sh DIR PORT}
PGBIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PGBIN/postgres" ]; then
  echo "start-pg15: PostgreSQL 15 is not installed; run: npm run services:install" >&2
  exit 3
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  mkdir -p "$D"; chown postgres:postgres "$D"
else
  mkdir -p "$D"
fi
D=$(cd "$D" && pwd)

if [ ! -f "$D/data/PG_VERSION" ]; then
  as_pg "$PGBIN/initdb" -D "$D/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$D/initdb.log" 2>&1 \
    || { echo "start-pg15: initdb failed, see $D/initdb.log" >&2; exit 1; }
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$D/data" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 \
    -o "-p $PORT -k $D -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { echo "start-pg15: server failed to start, see $D/server.log" >&2; exit 1; }
else
  PORT=$(sed -n 4p "$D/data/postmaster.pid")  # already running: report the port it really listens on
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
