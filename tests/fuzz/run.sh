#!/bin/sh
# Run every harness. Usage: run.sh BUILD_DIR (time SECONDS | runs N) [KERNEL_DIR]
#   time: `make fuzz`, a long run growing a corpus kept in BUILD_DIR/corpus;
#   runs: the fixed-size smoke run inside `make check`, read-only seeds,
#         fixed seed, so a regression shows in CI.
# Seeds: the fixture and example objects the build made; committed crash
# inputs in tests/fuzz/regressions/<harness>/ are run every time.
# FUZZ_ONLY="fuzz_walk fuzz_elf" runs only those harnesses.
set -eu
build=$1 mode=$2 amount=$3 kernel=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
seeds=$build/fuzz/seeds
harnesses="fuzz_elf fuzz_sysmap fuzz_image fuzz_profile fuzz_scenario fuzz_gdb fuzz_exec_aarch64 fuzz_exec_rv64 fuzz_walk"
for h in $harnesses; do mkdir -p "$seeds/$h"; done
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
# fuzz_exec_*: a 105-byte header (fuzz_exec.c) then the .text of each
# example: plain with the default profile; MMU and vectors; everything on
# (every event but register changes). Register selectors 0x09 start every
# argument register inside data.
zeros() { head -c "$1" /dev/zero; }
sel9() { i=0; while [ $i -lt 16 ]; do printf '\011'; i=$((i + 1)); done; }
for arch in aarch64 rv64; do
    for o in "$build"/examples/$arch/*.o; do
        llvm-objcopy -O binary --only-section=.text "$o" "$seeds/text.bin" 2>/dev/null || continue
        for flags in '\000\000' '\005\020' '\377\014'; do
            { printf "$flags"'\000\004\375'; zeros 10; sel9; zeros 74; cat "$seeds/text.bin"; } \
                > "$seeds/fuzz_exec_$arch/$(basename "$o" .o)-$(printf "$flags" | od -An -tx1 | tr -d ' ')"
        done
    done
done
rm -f "$seeds/text.bin"
# fuzz_walk (fuzz_walk.c): patch mode for each architecture (flags 2, 3),
# and with the checker program (flags 0x42, 0x43) of twenty ops: loads,
# stores into the tables, TLB invalidations, barriers.
ops() { i=0; while [ $i -lt 5 ]; do printf '\000\003\000\001\011\002\002\010\005\004\022\003'; i=$((i + 1)); done; }
{ printf '\002'; zeros 99; } > "$seeds/fuzz_walk/patch-aarch64"
{ printf '\003'; zeros 99; } > "$seeds/fuzz_walk/patch-rv64"
{ printf '\102'; zeros 99; printf '\024'; ops; zeros 216; } > "$seeds/fuzz_walk/checker-aarch64"
{ printf '\103'; zeros 99; printf '\024'; ops; zeros 216; } > "$seeds/fuzz_walk/checker-rv64"
[ -n "${FUZZ_ONLY:-}" ] && harnesses=$FUZZ_ONLY
status=0
# Crash inputs go to the build tree, never into the source tree.
artifacts=$build/fuzz/artifacts
mkdir -p "$artifacts"
for h in $harnesses; do
    reg=$here/regressions/$h
    mkdir -p "$build/fuzz/corpus/$h"
    # Regression inputs first, one by one: each must run clean.
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
        "$build/fuzz/$h" -timeout=60 "$reg"/* >/dev/null 2>&1 || { echo "$h: a regression input fails"; status=1; }
    fi
    if [ "$mode" = time ]; then
        "$build/fuzz/$h" -artifact_prefix="$artifacts/$h-" -timeout=60 -max_total_time="$amount" -print_final_stats=1 \
            "$build/fuzz/corpus/$h" "$seeds/$h" 2>&1 | grep -a -E '^stat::number_of_executed_units|ERROR|SUMMARY' |
            sed "s/^/$h: /" || true
    else
        # The execution harnesses cost ~5 ms an input under the sanitizers
        # (a run of up to 2,000 instructions, often traced): 2/5 of the
        # inputs keeps each under a minute.
        runs=$amount
        case $h in fuzz_exec_*) runs=$((amount * 2 / 5)) ;; esac
        out=$("$build/fuzz/$h" -artifact_prefix="$artifacts/$h-" -timeout=60 -runs="$runs" -seed=1 -print_final_stats=1 "$seeds/$h" 2>&1) || {
            echo "$out" | tail -40; echo "$h: FAILED"; status=1; continue; }
        echo "$h: $(echo "$out" | grep -a '^stat::number_of_executed_units' | awk '{print $2}') inputs, no failure"
    fi
done
exit $status
