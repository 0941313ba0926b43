#!/usr/bin/env bash
# The postgres collector against a real PostgreSQL primary and streaming standby, and side by
# side with Debian's prometheus-postgres-exporter. Usage: scripts/postgres_test.sh BINARY
# Installs what it needs when missing (idempotent), then runs scripts/postgres_test.py with a
# Python that has psycopg2 (Debian's python3-psycopg2 serves /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:?usage: postgres_test.sh BINARY}")
missing=""
for p in postgresql python3-psycopg2 prometheus-postgres-exporter openssl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
for py in python3 /usr/bin/python3; do
    if "$py" -c 'import psycopg2' 2>/dev/null; then
        exec "$py" scripts/postgres_test.py "$BIN"
    fi
done
echo "no python3 with psycopg2 found" >&2
exit 1
