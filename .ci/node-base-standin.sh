#!/usr/bin/env bash
# No registry is reachable here, so the Dockerfile's base (node:20-bookworm-slim) cannot be pulled.
# This assembles a stand-in for it: a Debian bookworm minbase from Debian's packages (debootstrap,
# from this machine's own apt sources), this machine's Node and npm, and a `node` user with uid 1000
# as in the official image. Prints the image's name; does nothing when it already exists.
# Needs root. Usage: .ci/node-base-standin.sh [image name]
set -euo pipefail
image=${1:-resonite-bot-base:standin}
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
# The mirror this machine already uses (deb822 or one-line sources), never a host name of our own.
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || { echo "no Debian mirror found in this machine's apt sources" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >&2
node=$(command -v node)
prefix=$(dirname "$(dirname "$(readlink -f "$node")")")
install -D "$(readlink -f "$node")" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/include" "$root/usr/local/etc"
cp -a "$prefix/lib/node_modules/npm" "$root/usr/local/lib/node_modules/npm"
# Node's headers, so native modules (better-sqlite3) build without downloading them.
cp -a "$prefix/include/node" "$root/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# The CA bundle and npm settings this machine reaches the npm registry with.
install -D /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
printf 'nodedir=/usr/local\ncafile=/etc/ssl/certs/ca-certificates.crt\naudit=false\nfund=false\nupdate-notifier=false\n' \
  >"$root/usr/local/etc/npmrc"
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc \
  "$root"/usr/share/man "$root"/usr/share/locale
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_VERSION='"$(node --version | tr -d v)" \
  --change 'CMD ["node"]' - "$image" >&2
echo "$image"
