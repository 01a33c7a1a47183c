#!/usr/bin/env bash
# Make sure PostgreSQL server binaries exist for the archive tests (they start their own
# throwaway cluster with initdb + pg_ctl; no server is started here). Debian/Ubuntu only.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || command -v initdb > /dev/null; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q postgresql
