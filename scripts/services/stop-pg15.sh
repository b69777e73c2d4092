#!/bin/bash
# Stops a cluster started by start-pg15.sh (fast shutdown: open sessions are ended). Safe to run when it is
# not running. Usage: stop-pg15.sh DIR
set -euo pipefail
D=${1:?usage: stop-pg15.sh DIR}
PGBIN=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -f "$D/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$D/data" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$D/data" -m fast -w -t 60 stop >/dev/null
  echo "stop-pg15: stopped $D"
else
  echo "stop-pg15: not running ($D)"
fi
