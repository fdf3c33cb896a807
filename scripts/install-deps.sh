#!/bin/sh
# Install the Debian packages rasim needs, and only those that are missing.
# Asking dpkg-query first keeps `make demo` / `make check` fast and offline
# on a machine that already has everything.
#
#   install-deps.sh          what building and the demo need
#   install-deps.sh check    that, plus what the tests use as references
set -eu

# One package per line: what the build and the demo use.
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
libyaml-dev
libxml2-dev
libedit-dev
libunicorn-dev
clang
lld
llvm
libclang-rt-14-dev
"

# The tests' references: the kernel's own routines built from Debian's
# kernel source by the cross compilers, and qemu-user to run them natively;
# gdb-multiarch drives `rasim gdb` (tests/test_gdb.c); valgrind runs the
# CLI's memory smoke test.
if [ "${1:-}" = check ]; then
    PACKAGES="$PACKAGES
linux-source-6.1
xz-utils
flex
bison
bc
gcc-aarch64-linux-gnu
gcc-riscv64-linux-gnu
libc6-dev-arm64-cross
libc6-dev-riscv64-cross
qemu-user
libxml2-utils
gdb-multiarch
valgrind
"
fi

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
