#!/bin/bash
# Stop a cluster started by start-ceph-rgw.sh DIR: kills by the PIDs recorded in DIR/run/*.pid
# (rgw, then osd, then mon) and waits for each to exit. Safe to run twice.
# Usage: stop-ceph-rgw.sh DIR [--rm]   (--rm also deletes DIR)
# CEPH_STOP_GRACE_SECS (default 10): time each daemon gets to exit after SIGTERM before SIGKILL.
# radosgw takes ~6 s to shut down cleanly; the test cluster keeps its data in memory only, so tests
# use a short grace.
set -uo pipefail
D=${1:?usage: stop-ceph-rgw.sh DIR [--rm]}
RM=${2:-}
GRACE=${CEPH_STOP_GRACE_SECS:-10}
[[ "$GRACE" =~ ^[0-9]+$ ]] || GRACE=10

stop_pidfile() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null) || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # Only a Ceph daemon: a stale pid file must not kill an unrelated process that reused the PID.
  if kill -0 "$pid" 2>/dev/null && grep -qaE 'radosgw|ceph-osd|ceph-mon' "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 $((GRACE * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  rm -f "$f"
}

if [ -d "$D/run" ]; then
  for f in "$D"/run/client.rgw*.pid; do stop_pidfile "$f"; done
  for f in "$D"/run/osd.*.pid; do stop_pidfile "$f"; done
  for f in "$D"/run/mon.*.pid; do stop_pidfile "$f"; done
  for f in "$D"/run/*.pid; do stop_pidfile "$f"; done
fi
[ "$RM" = "--rm" ] && rm -rf "$D"
exit 0
