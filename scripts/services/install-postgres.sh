#!/bin/bash
# Installs the system PostgreSQL 15 server and client (Debian packages) used as the second, independent
# Postgres version in integration tests. Run as root. Idempotent: when everything is present it only checks
# and returns. It never leaves a server running: package-triggered service starts are blocked with
# policy-rc.d, and a cluster the Debian package creates is stopped and set to manual start.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
say() { echo "install-postgres: $*"; }

if [ "$(id -u)" != 0 ]; then
  echo "install-postgres: must run as root (try: sudo bash $0)" >&2
  exit 1
fi

need=()
[ -x "$PGBIN/postgres" ] || need+=(postgresql-15)
[ -x "$PGBIN/psql" ] && command -v psql >/dev/null 2>&1 || need+=(postgresql-client-15)

if [ ${#need[@]} -eq 0 ]; then
  say "PostgreSQL 15 server and psql already installed ($("$PGBIN/postgres" --version))"
else
  # Block service starts from maintainer scripts (policy-rc.d exit 101 = action forbidden), unless the
  # machine already has its own policy.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
    trap '[ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends "${need[@]}"
  say "installed: $("$PGBIN/postgres" --version)"
fi

# The package's default cluster (15/main) is not used by seedpipe: make sure it is down and stays down.
if [ -f /etc/postgresql/15/main/start.conf ]; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && pg_ctlcluster 15 main status >/dev/null 2>&1; then
    pg_ctlcluster 15 main stop -m fast
    say "stopped the package's default cluster 15/main"
  fi
  if [ "$(grep -v '^#' /etc/postgresql/15/main/start.conf | tr -d '[:space:]')" != manual ]; then
    echo manual >/etc/postgresql/15/main/start.conf
    say "set cluster 15/main to manual start"
  fi
fi

if ! id -u postgres >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  say "created system user postgres"
else
  say "system user postgres exists"
fi
