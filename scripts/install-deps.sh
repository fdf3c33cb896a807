#!/bin/sh
# Install the Debian packages rasim needs, and only those that are missing.
# Asking dpkg-query first keeps `make demo` / `make check` fast and offline
# on a machine that already has everything.
set -eu

# One package per line: what the build, the tests and the demo use.
PACKAGES="
cmake
make
pkg-config
gcc
libc6-dev
libcapstone-dev
libelf-dev
check
libjansson-dev
clang
lld
llvm
libclang-rt-14-dev
"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "install-deps: installing:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
