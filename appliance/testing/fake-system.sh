#!/usr/bin/env bash
# OPSBOX_INSTALL_HOOK for install.test.ts: records every system command install.sh runs (one line
# each in $FAKE_RECORD) and plays the part of the system in $FAKE_STATE and $OPSBOX_ROOT
# (packages, users, owners, units, a server that starts), so that install.sh runs unprivileged
# against a staging root and a second run sees what the first one did.
set -euo pipefail
: "${FAKE_RECORD:?}" "${FAKE_STATE:?}" "${OPSBOX_ROOT:?}"
printf '%s\n' "$*" >>"$FAKE_RECORD"
mkdir -p "$FAKE_STATE"
data=$OPSBOX_ROOT/var/lib/opsbox
app=$OPSBOX_ROOT/opt/opsbox

# The server's start as far as install.sh can tell: a migration the release brings, a setup
# token while the box is not set up, and readiness unless the release is marked BROKEN.
start_opsbox() {
  if [[ -f $app/MIGRATION.sql ]]; then sqlite3 "$data/opsbox.db" <"$app/MIGRATION.sql"; fi
  if [[ ! -f $data/.set-up ]]; then printf 'token-%s\n' "$RANDOM" >"$data/setup-token"; fi
  touch "$FAKE_STATE/active-opsbox"
}

last=${*: -1}
case $1 in
  dpkg-query) grep -qx "$last" "$FAKE_STATE/packages" 2>/dev/null && printf 'install ok installed' ;;
  apt-get)
    if [[ $2 == install ]]; then
      for arg in "${@:3}"; do [[ $arg == -* ]] || printf '%s\n' "$arg" >>"$FAKE_STATE/packages"; done
    fi
    ;;
  getent) grep "^$last:" "$OPSBOX_ROOT/etc/passwd" 2>/dev/null ;;
  useradd) printf '%s:x:999:999::/var/lib/opsbox:/usr/sbin/nologin\n' "$last" >>"$OPSBOX_ROOT/etc/passwd" ;;
  userdel) sed -i "/^$last:/d" "$OPSBOX_ROOT/etc/passwd" ;;
  stat)
    owner=$(awk -v path="$last" '$1 == path { owner = $2 } END { print owner }' "$FAKE_STATE/owners" 2>/dev/null)
    printf '%s\n' "${owner:-root:root}"
    ;;
  chown) printf '%s %s\n' "$3" "$2" >>"$FAKE_STATE/owners" ;;
  systemctl)
    unit=$last
    case $2 in
      is-enabled) [[ -f $FAKE_STATE/enabled-$unit ]] ;;
      is-active) [[ -f $FAKE_STATE/active-$unit ]] ;;
      enable)
        touch "$FAKE_STATE/enabled-$unit"
        if [[ $3 == --now ]]; then touch "$FAKE_STATE/active-$unit"; fi
        ;;
      disable) rm -f "$FAKE_STATE/enabled-$unit" "$FAKE_STATE/active-$unit" ;;
      start | restart) if [[ $unit == opsbox ]]; then start_opsbox; else touch "$FAKE_STATE/active-$unit"; fi ;;
      stop) rm -f "$FAKE_STATE/active-$unit" ;;
    esac
    ;;
  npm)
    prefix=$4
    if [[ $2 == install ]]; then
      mkdir -p "$prefix/node_modules/.bin"
      printf '#!/bin/sh\n' >"$prefix/node_modules/.bin/bun"
      chmod +x "$prefix/node_modules/.bin/bun"
    else
      # Which bun the package's postinstall would run.
      printf 'postinstall bun: %s\n' "$(command -v bun)" >>"$FAKE_RECORD"
      mkdir -p "$prefix/node_modules" "$prefix/dist"
    fi
    ;;
  */wait-ready.sh) [[ ! -f $app/BROKEN ]] ;;
  */bun) printf "cwd: %s\n" "$PWD" >>"$FAKE_RECORD" ;;
esac
