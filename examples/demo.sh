#!/bin/sh
# The flagship demo. Until the RAS campaigns land it shows what rasim reads
# from our example routines: placed sections, symbols, and each __ex_table
# entry as the kernel profile names it.
set -eu
build=${1:-build}
rasim=$build/rasim
for arch in aarch64 rv64; do
    obj=$build/examples/$arch/clear_user.o
    echo "== rasim info $obj"
    "$rasim" info "$obj"
    echo
done
