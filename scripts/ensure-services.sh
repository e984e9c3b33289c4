#!/usr/bin/env bash
# Installs the servers the tests start themselves (etcd 3.4, redis) and their clients (etcdctl, redis-cli) from Debian's packages when they are missing.
set -euo pipefail
missing=()
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
[ -x /usr/bin/etcdctl ] || missing+=(etcd-client)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/bin/redis-cli ] || missing+=(redis-tools)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "tests need ${missing[*]} (Debian packages); run as root or install them first" >&2
    exit 1
  fi
else SUDO=; fi
echo "installing ${missing[*]} ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packages start system services; the tests run their own servers on free ports instead.
for svc in etcd redis-server; do $SUDO service "$svc" stop >/dev/null 2>&1 || true; done
