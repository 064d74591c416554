#!/usr/bin/env bash
# Waits until Opsbox answers GET /readyz on its own address (HOST and PORT, as in its environment
# file). opsbox.service runs it as ExecStartPost; install.sh runs it after a start or an upgrade.
#
#   wait-ready.sh SECONDS           any HTTP answer counts: the server listens only once its
#                                   configuration, database and migrations are good; a 503 then
#                                   means a check such as free disk space, which must not keep
#                                   the service from starting (deleting things is how space comes back)
#   wait-ready.sh SECONDS --ready   only 200 counts (install.sh's health check)
set -euo pipefail

seconds=${1:?usage: wait-ready.sh SECONDS [--ready]}
strict=${2:-}
if [[ -n $strict && $strict != --ready ]]; then
  echo "usage: wait-ready.sh SECONDS [--ready]" >&2
  exit 2
fi
host=${HOST:-127.0.0.1}
case $host in
  0.0.0.0) host=127.0.0.1 ;;
  :: | "[::]") host="[::1]" ;;
  *:*) host="[$host]" ;;
esac
url="http://$host:${PORT:-3000}/readyz"

deadline=$((SECONDS + seconds))
code=000
while ((SECONDS < deadline)); do
  code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 "$url" || true)
  if [[ $code == 200 ]] || [[ -z $strict && $code != 000 ]]; then
    exit 0
  fi
  sleep 1
done
if [[ $code == 000 ]]; then
  echo "opsbox: nothing answered $url within ${seconds}s" >&2
else
  echo "opsbox: $url still answered $code after ${seconds}s (curl -s $url shows the failing check)" >&2
fi
exit 1
