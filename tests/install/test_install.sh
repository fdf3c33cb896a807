#!/bin/sh
# make install works: the library, header and pkg-config file let a user
# build and run a client against an installed rasim.
set -eu
build=$1 src=$2 example=$3 cflags=${4:-}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -n1)
export PKG_CONFIG_PATH=$libdir
test -x "$prefix/bin/rasim"
test -f "$prefix/include/rasim.h"
# shellcheck disable=SC2046
cc $cflags -Wall -Werror -o "$prefix/client" "$src/client.c" $(pkg-config --cflags --libs rasim)
out=$(LD_LIBRARY_PATH=$(dirname "$libdir") "$prefix/client" "$example")
echo "$out"
case "$out" in
"$(pkg-config --modversion rasim) rasim_clear_user+0x"*) echo "1 passed, 0 failed" ;;
*) echo "0 passed, 1 failed"; exit 1 ;;
esac
