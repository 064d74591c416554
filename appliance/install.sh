#!/usr/bin/env bash
# Turns a Debian 12 or Ubuntu 24.04 host into an Opsbox appliance from this source tree.
#
#   sudo appliance/install.sh [--base-url https://ops.example.com] [--tls acme|internal]
#                             [--acme-email admin@example.com]
#       installs, or checks that everything is in place (a second run changes nothing). Caddy
#       serves the base URL's name with a certificate from an ACME CA for a public name, from
#       its own CA (internal) for an address, localhost or a LAN name; --tls chooses otherwise
#   sudo appliance/install.sh --upgrade
#       database snapshot, this source's code, restart (migrations run at start), health check;
#       back to the previous code and database when the new version does not become ready
#   sudo appliance/install.sh --uninstall [--purge]
#       removes Opsbox; keeps /var/lib/opsbox and /etc/opsbox unless --purge
#
# Staging, for tests: OPSBOX_ROOT=DIR puts every path under DIR, and OPSBOX_INSTALL_HOOK=CMD
# runs each command that changes or asks the system (apt-get, useradd, chown, systemctl, npm, …)
# as `CMD command args…` instead. OPSBOX_ROOT without a hook is refused, so that a staging run
# never touches the real system.
set -euo pipefail
umask 022

ROOT=${OPSBOX_ROOT:-}
HOOK=${OPSBOX_INSTALL_HOOK:-}
SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=SCRIPTDIR/caddy-settings.sh
source "$SOURCE/appliance/caddy-settings.sh"

USER_NAME=opsbox
APP=$ROOT/opt/opsbox
NEW=$ROOT/opt/opsbox.new
PREVIOUS=$ROOT/opt/opsbox.previous
FAILED=$ROOT/opt/opsbox.failed
DATA=$ROOT/var/lib/opsbox
DB=$DATA/opsbox.db
SNAPSHOTS=$DATA/upgrade-snapshots
ETC=$ROOT/etc/opsbox
ENV_FILE=$ETC/opsbox.env
UNIT=$ROOT/etc/systemd/system/opsbox.service
CLI=$ROOT/usr/local/bin/opsbox
CADDYFILE=$ROOT/etc/caddy/Caddyfile
CADDYFILE_BEFORE=$ROOT/etc/caddy/Caddyfile.before-opsbox
RELEASE_FILE=.opsbox-release
PACKAGES=(caddy nodejs npm sqlite3 curl ca-certificates)
# What a release leaves out of the source tree: build output, local data, and .env files (Bun
# would read one from the working directory).
EXCLUDES=(
  --exclude=./.git --exclude=./node_modules --exclude=./data --exclude=./dist --exclude=./test-results
  --exclude=./bench/out --exclude=./static/vendor --exclude=./static/.precompressed --exclude=./runtime
  --exclude=./.env --exclude=./.env.local --exclude=./.env.production --exclude=./.env.development
  --exclude=./.env.test --exclude='./.env.*.local' --exclude=./.opsbox-release
)

changes=0
restart_needed=0

say() { printf '%s\n' "$*"; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}
# One line per change; a run that prints none changed nothing.
changed() {
  say "  changed: $*"
  changes=$((changes + 1))
}
sys() {
  if [[ -n $HOOK ]]; then "$HOOK" "$@"; else "$@"; fi
}
shown() { printf '%s\n' "${1#"$ROOT"}"; }

preflight() {
  if [[ -n $ROOT && -z $HOOK ]]; then
    die "OPSBOX_ROOT needs OPSBOX_INSTALL_HOOK, so that a staged run never changes this system"
  fi
  if [[ -z $HOOK && $(id -u) -ne 0 ]]; then die "run it as root (sudo $0)"; fi
  local os_release=$ROOT/etc/os-release id="" version=""
  if [[ -f $os_release ]]; then
    id=$(sed -n 's/^ID=//p' "$os_release" | tr -d '"')
    version=$(sed -n 's/^VERSION_ID=//p' "$os_release" | tr -d '"')
  fi
  case "$id $version" in
    "debian 12" | "ubuntu 24.04") ;;
    debian* | ubuntu*) say "warning: made for Debian 12 and Ubuntu 24.04, this is $id $version" ;;
    *) die "made for Debian 12 and Ubuntu 24.04 (apt, systemd); this is '${id:-unknown}'" ;;
  esac
}

owner_of() { sys stat -c %U:%G "$1"; }

ensure_mode_owner() {
  local path=$1 mode=$2 owner=$3
  if [[ $(stat -c %a "$path") != "${mode#0}" ]]; then
    chmod "$mode" "$path"
    changed "mode $mode on $(shown "$path")"
  fi
  if [[ $(owner_of "$path") != "$owner" ]]; then
    sys chown "$owner" "$path"
    changed "owner $owner of $(shown "$path")"
  fi
}

ensure_dir() {
  local path=$1 mode=$2 owner=$3
  if [[ -d $path ]]; then
    ensure_mode_owner "$@"
    return
  fi
  mkdir -p "$path"
  chmod "$mode" "$path"
  sys chown "$owner" "$path"
  changed "created $(shown "$path") ($mode $owner)"
}

# Copies a file when its content differs; answers 0 when it wrote it.
ensure_file() {
  local source=$1 target=$2 mode=$3 owner=$4
  if [[ -f $target ]] && cmp -s "$source" "$target"; then
    ensure_mode_owner "$target" "$mode" "$owner"
    return 1
  fi
  place_file "$source" "$target" "$mode" "$owner"
}

# Written beside the target and renamed over it with its mode set, so it is never readable by more than it should be.
place_file() {
  local source=$1 target=$2 mode=$3 owner=$4
  mkdir -p "$(dirname "$target")"
  cp "$source" "$target.new.$$"
  chmod "$mode" "$target.new.$$"
  mv -f "$target.new.$$" "$target"
  sys chown "$owner" "$target"
  changed "wrote $(shown "$target") ($mode $owner)"
}

ensure_packages() {
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    # shellcheck disable=SC2016 # dpkg-query's own format, not the shell's
    if ! sys dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} > 0)); then
    sys apt-get update -q
    DEBIAN_FRONTEND=noninteractive sys apt-get install -y -q --no-install-recommends "${missing[@]}"
    changed "installed ${missing[*]} (apt-get)"
  fi
}

ensure_user() {
  if ! sys getent passwd "$USER_NAME" >/dev/null; then
    sys useradd --system --user-group --home-dir /var/lib/opsbox --no-create-home \
      --shell /usr/sbin/nologin --comment "Opsbox" "$USER_NAME"
    changed "created the system user $USER_NAME"
  fi
}

# Written once; after that the file is the operator's and only its mode and owner are checked.
ensure_env_file() {
  if [[ ! -f $ENV_FILE ]]; then
    local base_url=${BASE_URL:-https://$(hostname --fqdn 2>/dev/null || hostname)} template
    template=$(mktemp)
    sed "s#@BASE_URL@#$base_url#" "$SOURCE/appliance/opsbox.env" >"$template"
    place_file "$template" "$ENV_FILE" 0640 "root:$USER_NAME"
    rm -f "$template"
    restart_needed=1
    return
  fi
  if [[ -n $BASE_URL && $(env_value OPSBOX_BASE_URL "") != "$BASE_URL" ]]; then
    say "note: $(shown "$ENV_FILE") keeps OPSBOX_BASE_URL=$(env_value OPSBOX_BASE_URL ""); edit it to change it"
  fi
  ensure_mode_owner "$ENV_FILE" 0640 "root:$USER_NAME"
}

env_value() {
  local value
  value=$(sed -n "s/^$1=//p" "$ENV_FILE" 2>/dev/null | tail -n 1)
  # As systemd reads an EnvironmentFile=: one pair of quotes around the value is not part of it.
  if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
  printf '%s\n' "${value:-$2}"
}

release_tar() {
  tar -C "$SOURCE" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner "${EXCLUDES[@]}" -cf - .
}

# The package's version and a digest of the tree: a changed file is a new release.
source_release() {
  local version digest
  version=$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$SOURCE/package.json")
  digest=$(release_tar | sha256sum | cut -c1-12)
  printf '%s-%s\n' "${version:-0}" "$digest"
}

installed_release() { cat "$APP/$RELEASE_FILE" 2>/dev/null || true; }

# Bun is a devDependency (the tests and the bundler use it too), which `npm ci --omit=dev`
# leaves out: the runtime is the same pinned version, installed on its own under runtime/.
build_release() {
  local dir=$1 release=$2 bun_version
  # Each step checked: callers test this function, which turns `set -e` off inside it.
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  release_tar | tar -C "$dir" -xf - || return 1
  bun_version=$(grep -o '"bun": *"[^"]*"' "$dir/package.json" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
  [[ -n $bun_version ]] || die "package.json pins no bun version"
  sys npm install --prefix "$dir/runtime" --no-save --no-audit --no-fund "bun@$bun_version" || return 1
  # The package's postinstall (static files, the server bundle) finds bun on PATH. llama.cpp
  # comes prebuilt: nothing is compiled or downloaded for it.
  PATH="$dir/runtime/node_modules/.bin:$PATH" NODE_LLAMA_CPP_SKIP_DOWNLOAD=true \
    sys npm ci --prefix "$dir" --omit=dev --no-audit --no-fund || return 1
  printf '%s\n' "$release" >"$dir/$RELEASE_FILE"
}

# The bundle holds the absolute paths of the tree it was built in: built again where it runs,
# since the service cannot write there (ProtectSystem=strict).
build_bundle_in_place() {
  (cd "$APP" && sys runtime/node_modules/.bin/bun scripts/build-server.ts)
}

ensure_code() {
  local installed wanted
  installed=$(installed_release)
  wanted=$(source_release)
  if [[ -z $installed ]]; then
    [[ ! -e $APP ]] || die "$(shown "$APP") exists but was not installed by this script; move it away first"
    say "Installing Opsbox $wanted into $(shown "$APP") (npm ci, a few minutes)"
    build_release "$NEW" "$wanted" || die "the build failed: nothing was installed"
    mv "$NEW" "$APP"
    build_bundle_in_place || die "the server bundle did not build in $(shown "$APP")"
    changed "installed Opsbox $wanted in $(shown "$APP")"
    restart_needed=1
  elif [[ $installed != "$wanted" ]]; then
    say "note: $(shown "$APP") holds Opsbox $installed, this source is $wanted: run with --upgrade to install it"
  fi
}

ensure_system_files() {
  ensure_file "$APP/appliance/opsbox-cli.sh" "$CLI" 0755 root:root || true
  if ensure_file "$APP/systemd/opsbox.service" "$UNIT" 0644 root:root; then
    sys systemctl daemon-reload
    restart_needed=1
  fi
}

ensure_caddyfile() {
  local source=$APP/Caddyfile
  if [[ -f $CADDYFILE && ! -f $CADDYFILE_BEFORE ]] && ! cmp -s "$source" "$CADDYFILE"; then
    cp -p "$CADDYFILE" "$CADDYFILE_BEFORE"
  fi
  ensure_file "$source" "$CADDYFILE" 0644 root:root
}

ensure_running() {
  local caddy_change=$1
  if ! sys systemctl is-enabled --quiet opsbox; then
    sys systemctl enable --quiet opsbox
    changed "enabled opsbox.service"
  fi
  if ! sys systemctl is-active --quiet opsbox; then
    sys systemctl start opsbox || die "opsbox.service did not start: journalctl -u opsbox -n 50"
    changed "started opsbox.service"
  elif ((restart_needed)); then
    sys systemctl restart opsbox || die "opsbox.service did not restart: journalctl -u opsbox -n 50"
    changed "restarted opsbox.service"
  fi
  if ! sys systemctl is-active --quiet caddy; then
    sys systemctl enable --now --quiet caddy
    changed "started caddy.service"
  elif [[ $caddy_change == restart ]]; then
    # A changed environment needs a new process: a reload keeps the old one.
    sys systemctl restart caddy || die "caddy.service did not restart: journalctl -u caddy -n 50"
    changed "restarted caddy.service"
  elif [[ $caddy_change == reload ]]; then
    sys systemctl reload caddy || die "caddy.service did not reload: journalctl -u caddy -n 50"
    changed "reloaded caddy.service"
  fi
}

wait_ready() {
  HOST=$(env_value HOST 127.0.0.1) PORT=$(env_value PORT 3000) sys "$APP/appliance/wait-ready.sh" "${1:-120}" --ready
}

print_first_boot() {
  local base_url token
  base_url=$(env_value OPSBOX_BASE_URL "http://localhost:$(env_value PORT 3000)")
  if [[ -f $DATA/setup-token ]]; then
    token=$(tr -d '[:space:]' <"$DATA/setup-token")
    say "Set Opsbox up: open $base_url/setup?token=$token"
  else
    say "Opsbox is set up: sign in at $base_url"
  fi
}

install() {
  preflight
  ensure_packages
  ensure_user
  ensure_dir "$DATA" 0750 "$USER_NAME:$USER_NAME"
  ensure_dir "$ETC" 0750 "root:$USER_NAME"
  ensure_env_file
  ensure_code
  ensure_system_files
  local caddy_change=""
  if [[ -f $APP/Caddyfile ]]; then
    if ensure_caddyfile; then caddy_change=reload; fi
    if ensure_caddy_settings; then caddy_change=restart; fi
  else
    say "note: this source has no Caddyfile: Caddy keeps its own configuration, and Opsbox answers on http://$(env_value HOST 127.0.0.1):$(env_value PORT 3000) only"
  fi
  ensure_running "$caddy_change"
  wait_ready || die "Opsbox is not ready: curl -s http://127.0.0.1:$(env_value PORT 3000)/readyz and journalctl -u opsbox"
  if ((changes == 0)); then
    say "Nothing changed: Opsbox $(installed_release) is installed and ready."
  else
    say "Opsbox $(installed_release) is installed and ready ($changes change$( ((changes == 1)) || echo s))."
  fi
  print_first_boot
  print_tls
}

# A copy of the database made with the service stopped, so that nothing written after it is lost.
snapshot_database() {
  local release=$1 snapshot
  [[ -f $DB ]] || return 0
  mkdir -p "$SNAPSHOTS" && chmod 0700 "$SNAPSHOTS" || return 1
  snapshot=$SNAPSHOTS/opsbox-$release-$(date -u +%Y%m%dT%H%M%SZ).db
  sqlite3 "$DB" ".backup '$snapshot'" && chmod 0600 "$snapshot" || return 1
  printf '%s\n' "$snapshot"
}

restore_database() {
  local snapshot=$1
  rm -f "$DB-wal" "$DB-shm"
  if [[ -z $snapshot ]]; then
    rm -f "$DB"
    return
  fi
  cp "$snapshot" "$DB.restoring"
  chmod 0600 "$DB.restoring"
  mv -f "$DB.restoring" "$DB"
  sys chown "$USER_NAME:$USER_NAME" "$DB"
}

upgrade() {
  preflight
  local from to snapshot
  from=$(installed_release)
  [[ -n $from ]] || die "Opsbox is not installed here: run install.sh without --upgrade first"
  to=$(source_release)
  if [[ $from == "$to" ]]; then
    say "Nothing changed: Opsbox $to is already installed."
    return
  fi
  ensure_packages
  say "Building Opsbox $to in $(shown "$NEW") (npm ci, a few minutes); $from keeps running"
  build_release "$NEW" "$to" || die "the build failed; Opsbox $from keeps running"
  sys systemctl stop opsbox
  if ! snapshot=$(snapshot_database "$from"); then
    sys systemctl start opsbox || true
    die "could not snapshot $(shown "$DB"): Opsbox $from runs on, nothing was upgraded"
  fi
  [[ -z $snapshot ]] || say "  database snapshot: $(shown "$snapshot")"
  rm -rf "$PREVIOUS"
  mv "$APP" "$PREVIOUS"
  mv "$NEW" "$APP"
  if build_bundle_in_place && ensure_system_files && sys systemctl start opsbox && wait_ready 120; then
    say "Upgraded Opsbox from $from to $to. The previous code is in $(shown "$PREVIOUS")${snapshot:+, the database as it was in $(shown "$snapshot")}."
    print_first_boot
    return
  fi
  say "Opsbox $to did not become ready: rolling back to $from"
  sys systemctl stop opsbox || true
  rm -rf "$FAILED"
  mv "$APP" "$FAILED"
  mv "$PREVIOUS" "$APP"
  restore_database "$snapshot"
  ensure_system_files || true
  if sys systemctl start opsbox && wait_ready 120; then
    die "the upgrade to $to failed (its code is in $(shown "$FAILED"); journalctl -u opsbox); Opsbox $from runs again on its database from before the upgrade"
  fi
  die "the upgrade to $to failed and Opsbox $from did not start again either: journalctl -u opsbox"
}

uninstall() {
  local purge=$1
  preflight
  if [[ -f $UNIT ]]; then
    sys systemctl disable --now --quiet opsbox || true
    rm -f "$UNIT"
    sys systemctl daemon-reload
    changed "stopped and removed opsbox.service"
  fi
  local caddy_change=""
  if remove_caddy_settings; then caddy_change=try-restart; fi
  if [[ -f $CADDYFILE_BEFORE ]]; then
    mv -f "$CADDYFILE_BEFORE" "$CADDYFILE"
    changed "put back Caddy's configuration from before Opsbox"
    caddy_change=${caddy_change:-reload}
  fi
  if [[ -n $caddy_change ]]; then sys systemctl "$caddy_change" caddy || true; fi
  local path
  for path in "$APP" "$NEW" "$PREVIOUS" "$FAILED" "$CLI"; do
    if [[ -e $path ]]; then
      rm -rf "$path"
      changed "removed $(shown "$path")"
    fi
  done
  if ((purge)); then
    for path in "$DATA" "$ETC"; do
      if [[ -e $path ]]; then
        rm -rf "$path"
        changed "deleted $(shown "$path")"
      fi
    done
    if sys getent passwd "$USER_NAME" >/dev/null; then
      sys userdel "$USER_NAME"
      changed "deleted the system user $USER_NAME"
    fi
  elif [[ -e $DATA || -e $ETC ]]; then
    say "Kept the data in $(shown "$DATA") and the settings in $(shown "$ETC"): installing again uses them; --uninstall --purge deletes them."
  fi
  ((changes > 0)) || say "Nothing changed: Opsbox is not installed."
}

main() {
  local mode=install purge=0
  BASE_URL="" TLS="" ACME_EMAIL="" ACME_EMAIL_SET=0
  while (($# > 0)); do
    case $1 in
      --upgrade) mode=upgrade ;;
      --uninstall) mode=uninstall ;;
      --purge) purge=1 ;;
      --base-url)
        [[ $# -ge 2 && $2 =~ ^https://[^/]+$ ]] ||
          die "--base-url takes an https URL without a path, like https://ops.example.com (Caddy serves Opsbox over https)"
        BASE_URL=$2
        shift
        ;;
      --tls)
        [[ $# -ge 2 && $2 =~ ^(acme|internal)$ ]] || die "--tls takes acme (a public name) or internal (Caddy's own CA)"
        TLS=$2
        shift
        ;;
      --acme-email)
        [[ $# -ge 2 && ($2 == "" || $2 =~ $EMAIL_PATTERN) ]] || die "--acme-email takes an e-mail address (or '' to remove it)"
        ACME_EMAIL=$2 ACME_EMAIL_SET=1
        shift
        ;;
      -h | --help)
        awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
        return
        ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
    shift
  done
  if ((purge)) && [[ $mode != uninstall ]]; then die "--purge goes with --uninstall"; fi
  if [[ $mode != install ]] && { [[ -n $TLS ]] || ((ACME_EMAIL_SET)); }; then
    die "--tls and --acme-email go with an install run, not --$mode"
  fi
  case $mode in
    install) install ;;
    upgrade) upgrade ;;
    uninstall) uninstall "$purge" ;;
  esac
}

main "$@"
