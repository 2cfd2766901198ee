#!/usr/bin/env bash
# Installs (as root) or names (otherwise) the Debian packages PMEM Lab needs
# on the host: QEMU, a kernel with modules for the guest, busybox-static,
# ndctl/daxctl, kmod (depmod), util-linux (setpriv), xz-utils, and Chromium
# for the browser tests. Then installs the npm dependencies if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(qemu-system-x86 busybox-static ndctl daxctl kmod util-linux xz-utils chromium)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
ls /boot/vmlinuz-* >/dev/null 2>&1 || missing+=(linux-image-amd64)

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "setup: installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "setup: missing Debian packages: ${missing[*]}" >&2
		echo "  run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "setup: installing npm dependencies (npm ci)"
	npm ci --no-audit --no-fund
fi
