#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster (Debian's postgresql package) on a free loopback
# port in the directory given as $1, and prints its admin URL. Stop it with pg-stop.sh.
set -euo pipefail
dir="$1"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$dir"
run=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root; the package created the postgres user.
  chown postgres "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
"${run[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null
echo "postgres://postgres@127.0.0.1:$port/postgres"
