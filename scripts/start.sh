#!/usr/bin/env bash
# The main job, from a fresh clone: install, build, find or start a Redis, run
# the pipeline once (monitor run) and show a report. Safe to run again.
#   MONITOR_REDIS_URL   the Redis to use (default redis://127.0.0.1:6379/0)
set -euo pipefail
cd "$(dirname "$0")/.."
url="${MONITOR_REDIS_URL:-redis://127.0.0.1:6379/0}"

[ -d node_modules ] || npm ci --no-audit --no-fund
# Build only when something it is built from changed since the last build.
if [ -f lib/.built ] && [ -z "$(find src bin scripts package.json package-lock.json tsconfig.json tsconfig.build.json -newer lib/.built -print -quit)" ]; then
  echo "The build is up to date"
else
  npm run build >/dev/null
  touch lib/.built
fi

redis_up() { node -e '
  const s = require("net").connect(Number(process.argv[2]), process.argv[1])
  s.setTimeout(1000, () => process.exit(1)); s.on("error", () => process.exit(1))
  s.on("connect", () => s.write("PING\r\n")); s.on("data", () => process.exit(0))' "$1" "$2"; }
host=$(node -e 'const u = new URL(process.argv[1]); console.log(u.hostname || "127.0.0.1")' "$url")
port=$(node -e 'const u = new URL(process.argv[1]); console.log(u.port || 6379)' "$url")

if redis_up "$host" "$port"; then
  echo "Using the Redis at $host:$port"
elif [ "$host" = 127.0.0.1 ] || [ "$host" = localhost ]; then
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then echo "redis-server is missing: run 'sudo apt-get install -y redis-server' and try again" >&2; exit 3; fi
    echo "Installing redis-server"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if ! redis_up "$host" "$port"; then
    dir="${XDG_STATE_HOME:-$HOME/.local/state}/monitor/redis"
    mkdir -p "$dir"
    echo "Starting redis-server on 127.0.0.1:$port (data in $dir)"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes --logfile "$dir/redis.log" >/dev/null || true
    for _ in $(seq 50); do redis_up "$host" "$port" && break; sleep 0.1; done
    if ! redis_up "$host" "$port"; then
      echo "redis-server did not answer on 127.0.0.1:$port; the end of its log ($dir/redis.log):" >&2
      tail -n 20 "$dir/redis.log" >&2 2>/dev/null || echo "(no log written)" >&2
      exit 3
    fi
  fi
else
  echo "Redis at $host:$port does not answer" >&2; exit 3
fi

export MONITOR_REDIS_URL="$url"
# The pipeline once: every tier is due on a fresh Redis (collect, analyze, check, alert).
./bin/run.js run
# A second basic reading a second later, so that the rates (cpu.percent, bytes/s) have an
# interval to cover; then the report of the last hour.
sleep 1
./bin/run.js collect --tier basic --quiet
echo
./bin/run.js report --since 1h
