#!/usr/bin/env bash
# Stops and deletes the throwaway cluster started by pg-start.sh in $1.
set -uo pipefail
dir="$1"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run=()
[ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
[ -d "$dir/data" ] && "${run[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
rm -rf "$dir"
