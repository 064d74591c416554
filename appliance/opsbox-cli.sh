#!/usr/bin/env bash
# /usr/local/bin/opsbox on an appliance: the `opsbox` command (server/cli.ts) as the opsbox user,
# with the service's settings, so that what it writes belongs to the service.
#   sudo opsbox doctor
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "opsbox: run it with sudo (it reads /etc/opsbox/opsbox.env and runs as the opsbox user)" >&2
  exit 1
fi
set -a
# shellcheck source=/dev/null
. /etc/opsbox/opsbox.env
set +a
cd /opt/opsbox
umask 0077
exec runuser -u opsbox -- /opt/opsbox/runtime/node_modules/.bin/bun server/cli.ts "$@"
