#!/bin/bash
# Start a single-node Ceph cluster (one monitor, one in-memory OSD) with the RADOS Gateway: a real
# S3-compatible server (SigV4 enforced, AWS-format multipart ETags, AbortMultipartUpload).
# Usage (as root): start-ceph-rgw.sh DIR [RGW_PORT] [MON_PORT]
#   DIR is wiped and re-created; the data lives in memory (memstore) and disappears on stop.
# Prints the endpoint (http://127.0.0.1:RGW_PORT) on stdout and nothing else.
# Credentials: access key SEEDACCESSKEY, secret SEEDSECRETKEY.
# Stop with stop-ceph-rgw.sh DIR (kills by the PIDs in DIR/run/*.pid: rgw, then osd, then mon).
# Takes ~15 s; the first write on a new cluster takes a few more seconds (RGW creates its pools).
# Needs scripts/services/install-ceph.sh.
set -euo pipefail
D=${1:?usage: start-ceph-rgw.sh DIR [RGW_PORT] [MON_PORT]}
RGW_PORT=${2:-17480}
MON_PORT=${3:-16789}
HERE=$(cd "$(dirname "$0")" && pwd)

for bin in ceph ceph-mon ceph-osd radosgw radosgw-admin ceph-authtool monmaptool curl; do
  command -v "$bin" >/dev/null 2>&1 || { echo "start-ceph-rgw.sh: '$bin' not found; run scripts/services/install-ceph.sh as root" >&2; exit 1; }
done

rm -rf "$D"; mkdir -p "$D"/{mon,osd0,run,log}
D=$(cd "$D" && pwd)
LOG="$D/log/start.log"

# On any failure, stop whatever was started and show the tail of the logs.
fail() {
  echo "start-ceph-rgw.sh: $1 (logs in $D/log)" >&2
  tail -n 20 "$LOG" >&2 || true
  bash "$HERE/stop-ceph-rgw.sh" "$D" >/dev/null 2>&1 || true
  exit 1
}
trap 'fail "failed at line $LINENO"' ERR

FSID=$(cat /proc/sys/kernel/random/uuid)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
public addr = 127.0.0.1
keyring = $D/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 4294967296
run dir = $D/run
admin socket = $D/run/\$name.asok
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
mon data = $D/mon
osd data = $D/osd0
mon data avail warn = 1
mon data avail crit = 0
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw dns name = localhost
CONF
export CEPH_CONF="$D/ceph.conf"
# Bound every cluster command so a monitor that never comes up fails the script instead of hanging it.
CEPH=(ceph --connect-timeout 20)

{
  ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *'
  ceph-authtool "$D/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *'
  monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$D/monmap"
  ceph-mon --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
  ceph-mon -i a
} >>"$LOG" 2>&1

OSD=$("${CEPH[@]}" osd create 2>>"$LOG")
{
  ceph-osd -i "$OSD" --mkfs --mkkey --no-mon-config --keyring "$D/osd0/keyring"
  "${CEPH[@]}" auth add "osd.$OSD" osd 'allow *' mon 'allow profile osd' -i "$D/osd0/keyring"
  ceph-osd -i "$OSD" --keyring "$D/osd0/keyring"
} >>"$LOG" 2>&1

up=0
for _ in $(seq 1 60); do
  if "${CEPH[@]}" osd stat 2>>"$LOG" | grep -q '1 up'; then up=1; break; fi
  sleep 0.5
done
[ "$up" = 1 ] || fail "the OSD did not come up"

"${CEPH[@]}" auth get-or-create client.rgw mon 'allow rw' osd 'allow rwx' >> "$D/keyring" 2>>"$LOG"
radosgw -n client.rgw >>"$LOG" 2>&1

up=0
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$RGW_PORT/" >/dev/null 2>&1; then up=1; break; fi
  sleep 0.5
done
[ "$up" = 1 ] || fail "radosgw did not answer on port $RGW_PORT"

radosgw-admin user create --uid=seed --display-name=seed --access-key=SEEDACCESSKEY --secret=SEEDSECRETKEY >>"$LOG" 2>&1
trap - ERR
echo "http://127.0.0.1:$RGW_PORT"
