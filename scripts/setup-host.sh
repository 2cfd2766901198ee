#!/usr/bin/env bash
# Sets up the host for PMEM Lab. Without arguments, what the app needs at run
# time: QEMU, busybox, ndctl/daxctl, kmod (depmod), util-linux (setpriv), the
# kernel decompressors xz/zstd/lz4/bzip2 (a user's kernel may use any of them)
# and a kernel with modules. With --test, also what the tests need: Chromium,
# cpio, pgrep, zsh and fish (their completion scripts are tested), xmllint
# (JUnit output is checked against the JUnit schema with it), and what
# `pmem-lab kernel build` needs, which a test runs for real: the kernel's build
# tools and headers, and on Debian its source, linux-source-6.1. On Debian and Ubuntu, as root, it installs them with apt-get;
# elsewhere, or as another user, it prints the command to run and fails. Then
# it installs the npm dependencies if missing.
#
# usage: scripts/setup-host.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1-}" in
'') with_tests=0 ;;
--test) with_tests=1 ;;
*) echo "usage: $0 [--test]" >&2 && exit 2 ;;
esac

# One row per command the lab runs (alternatives split by |), then the package
# shipping it on Debian/Ubuntu, Fedora, Arch, openSUSE and Alpine. Unverified:
# openSUSE's busybox-static and Alpine's busybox (the kit needs a static
# busybox, or copies its libraries), whether ndctl ships daxctl on openSUSE and
# Alpine, Alpine's setpriv and procps-ng. Ubuntu's chromium deb is a snap stub.
runtime=(
	'qemu-system-x86_64 qemu-system-x86 qemu-system-x86-core qemu-system-x86 qemu-x86 qemu-system-x86_64'
	'busybox busybox-static busybox busybox busybox-static busybox'
	'ndctl ndctl ndctl ndctl ndctl ndctl'
	'daxctl daxctl daxctl ndctl ndctl ndctl'
	'depmod kmod kmod kmod kmod kmod'
	'setpriv util-linux util-linux util-linux util-linux setpriv'
	'xz xz-utils xz xz xz xz'
	'zstd zstd zstd zstd zstd zstd'
	'lz4 lz4 lz4 lz4 lz4 lz4'
	'bzip2 bzip2 bzip2 bzip2 bzip2 bzip2'
)
# A path instead of a command: a file that must exist (a header). Unverified:
# the kernel build rows outside Debian (after the kernel's
# Documentation/process/changes.rst and each distribution's package names).
tests=(
	'chromium|chromium-browser chromium chromium chromium chromium chromium'
	'cpio cpio cpio cpio cpio cpio'
	'pgrep procps procps-ng procps-ng procps procps-ng'
	'zsh zsh zsh zsh zsh zsh'
	'fish fish fish fish fish fish'
	'xmllint libxml2-utils libxml2 libxml2 libxml2-tools libxml2-utils'
	'make make make make make make'
	'gcc gcc gcc gcc gcc gcc'
	'flex flex flex flex flex flex'
	'bison bison bison bison bison bison'
	'bc bc bc bc bc bc'
	'/usr/include/gelf.h libelf-dev elfutils-libelf-devel libelf libelf-devel elfutils-dev'
	'/usr/include/stdio.h libc6-dev glibc-devel glibc glibc-devel musl-dev'
)
# A kernel with modules, when /boot has none (Arch's and Alpine's are named
# vmlinuz-linux and vmlinuz-lts, which the lab does not pick up: use --kernel).
kernel=(- linux-image-amd64 kernel-core linux kernel-default linux-lts)
# The source `pmem-lab kernel build` builds from, with --test: Debian's only
# (elsewhere it builds a tree of yours, --source DIR).
kernel_source=(- linux-source-6.1 - - - -)
families=(- debian fedora arch suse alpine)

rows=("${runtime[@]}")
[ "$with_tests" = 1 ] && rows+=("${tests[@]}")

have() { command -v "$1" >/dev/null 2>&1; }

manager_of() {
	case $1 in
	debian) have dpkg-query && have apt-get ;;
	fedora) have dnf ;;
	arch) have pacman ;;
	suse) have zypper ;;
	alpine) have apk ;;
	*) return 1 ;;
	esac
}

# The family named by os-release's ID or ID_LIKE, if its package manager is
# here; else the first family whose package manager is. The path is
# overridable for the tests only.
detect_family() {
	local key value id='' like='' word f
	if [ -r "${PMEM_LAB_OS_RELEASE:-/etc/os-release}" ]; then
		while IFS='=' read -r key value || [ -n "$key" ]; do
			value=${value//\"/}
			case $key in ID) id=$value ;; ID_LIKE) like=$value ;; esac
		done <"${PMEM_LAB_OS_RELEASE:-/etc/os-release}"
	fi
	for word in $id $like; do
		case $word in
		debian | ubuntu) f=debian ;;
		fedora | rhel | centos) f=fedora ;; # RHEL-likes may need EPEL for busybox and chromium
		arch) f=arch ;;
		opensuse* | suse | sles) f=suse ;;
		alpine) f=alpine ;;
		*) continue ;;
		esac
		manager_of "$f" && echo "$f" && return
	done
	for f in "${families[@]:1}"; do manager_of "$f" && echo "$f" && return; done
	return 0
}

# Any of the |-separated commands, on PATH or in the sbin folders root tools
# live in (as src-main/util/which.ts looks them up), or a file given by its path.
found() {
	local cmd dir
	for cmd in ${1//|/ }; do
		if [[ $cmd == /* ]]; then
			[ -e "$cmd" ] && return 0
			continue
		fi
		have "$cmd" && return 0
		for dir in /usr/local/sbin /usr/sbin /sbin; do [ -x "$dir/$cmd" ] && return 0; done
	done
	return 1
}

not_set_up() {
	echo "setup: the lab was not set up: install those, then run this again" >&2
	exit 1
}

family=$(detect_family)
col=0
for i in "${!families[@]}"; do
	if [ "${families[$i]}" = "$family" ]; then col=$i; fi
done
sudo=''
[ "$EUID" = 0 ] || sudo='sudo '

missing=() # packages, each once
commands=()
add() { [[ " ${missing[*]-} " == *" $1 "* ]] || missing+=("$1"); }
for row in "${rows[@]}"; do
	read -r -a f <<<"$row"
	if [ "$family" = debian ]; then
		[[ $(dpkg-query -W -f='${Status}' "${f[1]}" 2>/dev/null) == 'install ok installed' ]] || add "${f[1]}"
	elif ! found "${f[0]}"; then
		commands+=("${f[0]}")
		[ "$col" = 0 ] || add "${f[$col]}"
	fi
done
compgen -G '/boot/vmlinuz-*' >/dev/null || { [ "$col" = 0 ] || add "${kernel[$col]}"; }
if [ "$with_tests" = 1 ] && [ "${kernel_source[$col]}" != - ] && [ ! -e /usr/src/linux-source-6.1.tar.xz ]; then
	add "${kernel_source[$col]}"
fi

if [ -z "$family" ] && [ ${#commands[@]} -gt 0 ]; then
	echo "setup: no apt-get, dnf, pacman, zypper or apk here; install what provides: ${commands[*]//|/ or }" >&2
	not_set_up
elif [ ${#missing[@]} -gt 0 ]; then
	case $family in
	debian) install="apt-get install -y --no-install-recommends" ;;
	fedora) install="dnf install -y" ;;
	arch) install="pacman -S --needed" ;;
	suse) install="zypper install -y" ;;
	alpine) install="apk add" ;;
	esac
	if [ "$family" = debian ] && [ "$EUID" = 0 ]; then
		echo "setup: installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "setup: missing $family packages: ${missing[*]}" >&2
		echo "  run: $sudo$install ${missing[*]}" >&2
		not_set_up
	fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "setup: installing npm dependencies (npm ci)"
	npm ci --no-audit --no-fund
fi
