#!/usr/bin/env bash
# Installs the services the integration tests start themselves: the system PostgreSQL 15 (second
# server version) and Ceph RGW (a real S3 implementation). Idempotent; needs root (apt-get).
# The embedded PostgreSQL 18 comes with `npm ci` and needs nothing here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/install-postgres.sh"
bash "$here/install-ceph.sh"
