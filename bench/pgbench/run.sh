#!/usr/bin/env bash
# Appends/s of the append statements, 16 clients, in alternating turns (the machine is shared: compare within a round).
# Usage: bench/pgbench/run.sh <database made by the migrations> [rounds=2] [seconds=30]
# The scripts are written afresh from packages/db on every run (`pnpm --filter @chat/bench pgbench:scripts <dir>`):
# the statements the server sends today, never a copy. Seeds the database (seed.sql), then prints one line per
# script and round: rows/s = tps × rows per transaction.
set -euo pipefail
db=${1:?database}; rounds=${2:-2}; secs=${3:-30}
here=$(cd "$(dirname "$0")" && pwd)
pgbench=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
conn=(-h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}")
scripts=$(mktemp -d)
trap 'rm -rf "$scripts"' EXIT
pnpm --silent --dir "$here/.." pgbench:scripts "$scripts"
psql "${conn[@]}" -q -v ON_ERROR_STOP=1 -f "$scripts/seed.sql" "$db" >/dev/null
one() { # label rows-per-transaction pgbench-args…
  local label=$1 rows=$2; shift 2
  local out tps
  out=$("$pgbench" "${conn[@]}" -n -c 16 -j 2 -T "$secs" "$@" "$db" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
  tps=$(printf '%s\n' "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  printf '%s\tround %s\tload %s\t%-22s tps %8.1f\trows/s %8.0f\n' "$(date -u +%H:%M:%S)" "$r" "$(cut -d' ' -f1 /proc/loadavg)" "$label" "$tps" "$(echo "$tps * $rows" | bc)"
}
for r in $(seq 1 "$rounds"); do
  one "a locked, 1 row" 1 -f "$scripts/append-locked.sql"
  one "b unlocked, 1 row" 1 -f "$scripts/append-unlocked.sql"
  for n in 4 16 64; do one "c locked, batch of $n" "$n" -D "n=$n" -f "$scripts/append-batch-locked.sql"; done
done
