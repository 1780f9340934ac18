#!/bin/sh
# Installs (or upgrades) Moat from this offline package. No network access is needed: the app and
# its node_modules (workerd included) are in ./app. Needs Node.js (same major version and CPU
# architecture as the machine that built the package).
#
#   sudo ./install.sh                       /opt/moat, data in /var/lib/moat, user moat, systemd unit
#   ./install.sh --prefix DIR --data DIR --no-service
#                                           just the files (containers, tests, manual start)
#
# Upgrade: run the new package's install.sh. The previous app folder is kept as <prefix>.prev;
# at start Moat backs the database up (data/backups/moat-pre-upgrade-*.sqlite) before it applies
# new migrations. Roll back: stop, move <prefix>.prev back, restore that backup (moat restore).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=/opt/moat
data=/var/lib/moat
service=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --no-service) service=no; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

command -v node >/dev/null || { echo "Node.js is required (node not found)" >&2; exit 1; }
want=$(sed -n 's/.* abi=\([0-9]*\).*/\1/p' "$here/app/dist/.prebuilt")
have=$(node -p 'process.versions.modules')
if [ -n "$want" ] && [ "$want" != "$have" ]; then
  echo "This package was built for Node ABI $want; this node ($(node -v)) has ABI $have. Use the matching Node major version." >&2
  exit 1
fi

if [ "$service" = yes ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root (or use --no-service)" >&2; exit 1; }
  id moat >/dev/null 2>&1 || useradd --system --home-dir "$data" --shell /usr/sbin/nologin moat
  systemctl stop moat 2>/dev/null || true
fi

if [ -d "$prefix" ]; then
  rm -rf "$prefix.prev"
  mv "$prefix" "$prefix.prev"
fi
mkdir -p "$(dirname "$prefix")"
cp -a "$here/app" "$prefix"
mkdir -p "$data"
chmod 0750 "$data"

if [ "$service" = yes ]; then
  chown -R root:root "$prefix"
  chown moat:moat "$data"
  sed -e "s,/opt/moat,$prefix,g" -e "s,/var/lib/moat,$data,g" "$prefix/deploy/moat.service" > /etc/systemd/system/moat.service
  # `moat <command>` for admins; run it as the service user so new files stay Moat's:
  #   sudo -u moat moat backup /srv/backup/moat.sqlite
  printf '#!/bin/sh\nexport MOAT_DATA="${MOAT_DATA:-%s}"\nexec node %s/bin/moat.mjs "$@"\n' "$data" "$prefix" > /usr/local/bin/moat
  chmod 0755 /usr/local/bin/moat
  systemctl daemon-reload
  systemctl enable moat >/dev/null
  systemctl start moat
  echo "Moat installed in $prefix (data: $data) and started: systemctl status moat; journalctl -u moat"
  echo "The first start prints the admin's one-time password once: journalctl -u moat | grep -A3 'administrator'"
else
  echo "Moat installed in $prefix. Start it with: MOAT_DATA=$data node $prefix/bin/moat.mjs start"
fi
