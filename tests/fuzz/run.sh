#!/bin/sh
# Run every harness. Usage: run.sh BUILD_DIR (time SECONDS | runs N) [KERNEL_DIR]
#   time: `make fuzz`, a long run growing a corpus kept in BUILD_DIR/corpus;
#   runs: the fixed-size smoke run inside `make check`, read-only seeds,
#         fixed seed, so a regression shows in CI.
# Seeds: the fixture and example objects the build made; committed crash
# inputs in tests/fuzz/regressions/<harness>/ are run every time.
set -eu
build=$1 mode=$2 amount=$3 kernel=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
seeds=$build/fuzz/seeds
mkdir -p "$seeds/fuzz_elf" "$seeds/fuzz_sysmap" "$seeds/fuzz_image" "$seeds/fuzz_profile" \
    "$seeds/fuzz_scenario" "$seeds/fuzz_gdb"
src=$(cd "$here/../.." && pwd)
cp "$src"/profiles/*.yaml "$seeds/fuzz_profile/"
for f in "$src"/examples/scenarios/*.yaml "$src"/examples/broken/*.yaml; do
    cp "$f" "$seeds/fuzz_scenario/$(basename "$(dirname "$f")")-$(basename "$f")"
done
cp "$build"/tests/fixtures/*.o "$seeds/fuzz_elf/"
# gdb sessions, well-formed (committed: they are hand-made, not built).
cp "$here"/seeds/fuzz_gdb/* "$seeds/fuzz_gdb/"
# The kernel's own objects, when built, are the most realistic seeds.
if [ -n "$kernel" ] && [ -d "$kernel/arm64" ]; then
    for o in "$kernel"/arm64/*.o "$kernel"/riscv/*.o; do
        cp "$o" "$seeds/fuzz_elf/kernel-$(basename "$(dirname "$o")")-$(basename "$o")"
    done
fi
for arch in aarch64 rv64; do
    for o in "$build"/examples/$arch/*.o; do cp "$o" "$seeds/fuzz_elf/$arch-$(basename "$o")"; done
done
printf 'ffff800008000000 T _text\nffff800008000040 t local_fn\n0000000000000400 A abs\n' \
    > "$seeds/fuzz_sysmap/map"
head -c 512 "$build/examples/aarch64/clear_user.o" > "$seeds/fuzz_image/start"
status=0
# Crash inputs go to the build tree, never into the source tree.
artifacts=$build/fuzz/artifacts
mkdir -p "$artifacts"
for h in fuzz_elf fuzz_sysmap fuzz_image fuzz_profile fuzz_scenario fuzz_gdb; do
    reg=$here/regressions/$h
    mkdir -p "$build/fuzz/corpus/$h"
    # Regression inputs first, one by one: each must run clean.
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
        "$build/fuzz/$h" "$reg"/* >/dev/null 2>&1 || { echo "$h: a regression input fails"; status=1; }
    fi
    if [ "$mode" = time ]; then
        "$build/fuzz/$h" -artifact_prefix="$artifacts/$h-" -max_total_time="$amount" -print_final_stats=1 \
            "$build/fuzz/corpus/$h" "$seeds/$h" 2>&1 | grep -a -E '^stat::number_of_executed_units|ERROR|SUMMARY' || true
    else
        out=$("$build/fuzz/$h" -artifact_prefix="$artifacts/$h-" -runs="$amount" -seed=1 -print_final_stats=1 "$seeds/$h" 2>&1) || {
            echo "$out" | tail -40; echo "$h: FAILED"; status=1; continue; }
        echo "$h: $(echo "$out" | grep -a '^stat::number_of_executed_units' | awk '{print $2}') inputs, no failure"
    fi
done
exit $status
