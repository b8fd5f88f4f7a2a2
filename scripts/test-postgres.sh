#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster if needed and make the test role and database.
# Prints the SQLAlchemy URL on its last line. Needs root or passwordless sudo.
set -euo pipefail
version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$version" ]; then
  echo "PostgreSQL is not installed: sudo apt-get install -y postgresql" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
  as_postgres() { su postgres -c "$(printf '%q ' "$@")"; }
else
  as_root() { sudo -n "$@"; }
  as_postgres() { sudo -n -u postgres "$@"; }
fi
pg_lsclusters -h | grep -q "^$version main" || as_root pg_createcluster "$version" main >/dev/null
pg_lsclusters -h | grep -q "^$version main .* online" || as_root pg_ctlcluster "$version" main start
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
sql() { as_postgres psql -p "$port" -qAt -c "$1"; }
[ "$(sql "SELECT 1 FROM pg_roles WHERE rolname='callcoach_test'")" = 1 ] ||
  sql "CREATE ROLE callcoach_test LOGIN PASSWORD 'callcoach_test'"
[ "$(sql "SELECT 1 FROM pg_database WHERE datname='callcoach_test'")" = 1 ] ||
  sql "CREATE DATABASE callcoach_test OWNER callcoach_test"
echo "postgresql+psycopg://callcoach_test:callcoach_test@127.0.0.1:$port/callcoach_test"
