#!/bin/bash
# Install Ceph's RADOS Gateway (a real S3 implementation) plus the monitor and OSD it needs, for the
# integration tests and benchmarks of the S3 sink. Idempotent: a fast no-op when radosgw is present.
# Usage (as root): scripts/services/install-ceph.sh
set -euo pipefail

need=()
command -v radosgw >/dev/null 2>&1 || need+=(radosgw ceph-mon ceph-osd)
command -v ceph-mon >/dev/null 2>&1 || need+=(ceph-mon)
command -v ceph-osd >/dev/null 2>&1 || need+=(ceph-osd)
command -v curl >/dev/null 2>&1 || need+=(curl)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-ceph.sh: must run as root to install: ${need[*]} (apt-get)" >&2
  exit 1
fi

# Unique package names, in a stable order.
mapfile -t pkgs < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++')
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"
command -v radosgw >/dev/null 2>&1 || { echo "install-ceph.sh: radosgw still missing after install" >&2; exit 1; }
