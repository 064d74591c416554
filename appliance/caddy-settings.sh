# shellcheck shell=bash
# Caddy's settings on an appliance, sourced by install.sh (it uses its say, changed, die, sys,
# shown, ensure_file and env_value). The Caddyfile reads them from the caddy service's
# environment, given by a systemd drop-in rather than /etc/opsbox/opsbox.env: Debian's unit runs
# `caddy run --environ`, which prints the whole environment to the journal.

CADDY_DROPIN=$ROOT/etc/systemd/system/caddy.service.d/opsbox.conf
# Where Debian's caddy (user caddy, home /var/lib/caddy) keeps the root of its local CA.
CADDY_ROOT_CA=/var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt
# No spaces, quotes or `%` (a specifier in a unit file), so it goes into Environment= as it is.
EMAIL_PATTERN='^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$'

# internal for the names no public CA certifies: addresses, single labels, local suffixes.
automatic_tls() {
  local host=$1
  if [[ $host == \[* || $host =~ ^[0-9]+(\.[0-9]+){3}$ || $host != *.* ]]; then
    printf 'internal\n'
    return
  fi
  case $host in
    *.localhost | *.local | *.lan | *.home.arpa | *.internal | *.localdomain) printf 'internal\n' ;;
    *) printf 'acme\n' ;;
  esac
}

dropin_value() {
  sed -n "s/^Environment=$1=//p" "$CADDY_DROPIN" 2>/dev/null | tail -n 1
}

# Where Caddy reaches Opsbox: its HOST and PORT, with a wildcard address as loopback.
opsbox_upstream() {
  local host port
  host=$(env_value HOST 127.0.0.1)
  port=$(env_value PORT 3000)
  case $host in
    0.0.0.0) host=127.0.0.1 ;;
    :: | "[::]") host="[::1]" ;;
    \[*) ;;
    *:*) host="[$host]" ;;
  esac
  printf '%s:%s\n' "$host" "$port"
}

# A --tls given once is kept: the drop-in records it as a choice that differs from the automatic one.
chosen_tls() {
  local host=$1 previous
  if [[ -n $TLS ]]; then
    printf '%s\n' "$TLS"
    return
  fi
  previous=$(dropin_value OPSBOX_TLS)
  if [[ $previous =~ ^(acme|internal)$ && $previous != $(automatic_tls "$(dropin_value OPSBOX_DOMAIN)") ]]; then
    printf '%s\n' "$previous"
  else
    automatic_tls "$host"
  fi
}

# Writes the drop-in from OPSBOX_BASE_URL, HOST and PORT of the env file and the --tls and
# --acme-email options; an edit of it is put back. Answers 0 when it wrote it.
ensure_caddy_settings() {
  local base_url scheme host port tls email upstream settings
  base_url=$(env_value OPSBOX_BASE_URL "")
  if [[ ! ${base_url,,} =~ ^(https?)://(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:([0-9]{1,5}))?/?$ ]]; then
    die "OPSBOX_BASE_URL=$base_url in $(shown "$ENV_FILE") is not https://name or https://address without a path: fix it and run again"
  fi
  scheme=${BASH_REMATCH[1]} host=${BASH_REMATCH[2]%.} port=${BASH_REMATCH[4]}
  if [[ $scheme == http ]]; then
    say "warning: OPSBOX_BASE_URL in $(shown "$ENV_FILE") is http://, but Caddy serves https://$host and redirects http there: set it to https://… (links, the Secure cookie and HSTS follow it), then systemctl restart opsbox"
    port=""
  fi
  tls=$(chosen_tls "$host")
  if [[ $tls == acme && $(automatic_tls "$host") == internal ]]; then
    say "note: OPSBOX_TLS=acme for $host: public CAs certify only public DNS names, so Caddy may get no certificate (--tls internal uses its own CA)"
  fi
  if ((ACME_EMAIL_SET)); then email=$ACME_EMAIL; else email=$(dropin_value OPSBOX_ACME_EMAIL); fi
  [[ -z $email || $email =~ $EMAIL_PATTERN ]] || die "OPSBOX_ACME_EMAIL=$email in $(shown "$CADDY_DROPIN") is not an e-mail address"
  upstream=$(opsbox_upstream)
  if [[ ! $upstream =~ ^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$ ]]; then
    die "HOST and PORT in $(shown "$ENV_FILE") make no address Caddy can reach Opsbox at ($upstream)"
  fi
  settings=$(mktemp)
  {
    printf '%s\n' \
      "# Caddy's settings for Opsbox, written by appliance/install.sh from OPSBOX_BASE_URL, HOST and" \
      "# PORT in /etc/opsbox/opsbox.env and its --tls and --acme-email options (kept from here when a" \
      "# run gives none); each run puts back any other edit. Settings of your own go in" \
      "# \`systemctl edit caddy\` (override.conf, read after this file)." \
      "[Service]" "Environment=OPSBOX_DOMAIN=$host" "Environment=OPSBOX_TLS=$tls"
    [[ -z $email ]] || printf 'Environment=OPSBOX_ACME_EMAIL=%s\n' "$email"
    [[ -z $port || $port == 443 ]] || printf 'Environment=OPSBOX_HTTPS_PORT=%s\n' "$port"
    printf 'Environment=OPSBOX_UPSTREAM=%s\n' "$upstream"
  } >"$settings"
  if ensure_file "$settings" "$CADDY_DROPIN" 0644 root:root; then
    rm -f "$settings"
    sys systemctl daemon-reload
    return 0
  fi
  rm -f "$settings"
  return 1
}

# What people need to know of the certificate, from the drop-in as Caddy has it.
print_tls() {
  [[ -f $CADDY_DROPIN ]] || return 0
  local domain
  domain=$(dropin_value OPSBOX_DOMAIN)
  if [[ $(dropin_value OPSBOX_TLS) == internal ]]; then
    say "Caddy signs $domain's certificate with its own CA (OPSBOX_TLS=internal): trust its root certificate once on every computer and phone that opens Opsbox; copy it from $CADDY_ROOT_CA (created when Caddy first starts)."
  else
    say "Caddy gets $domain's certificate from Let's Encrypt or ZeroSSL (OPSBOX_TLS=acme): its DNS record must point at this machine, with ports 80 and 443 open to the internet."
  fi
}

# Answers 0 when there was a drop-in to remove (caddy then needs a restart).
remove_caddy_settings() {
  [[ -f $CADDY_DROPIN ]] || return 1
  rm -f "$CADDY_DROPIN"
  rmdir "$(dirname "$CADDY_DROPIN")" 2>/dev/null || true
  sys systemctl daemon-reload
  changed "removed $(shown "$CADDY_DROPIN")"
}
