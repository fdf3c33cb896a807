#!/bin/sh
# The flagship demo (make demo): poison every cache line a machine-check-safe
# copy touches, let the kernel model recover or die as the kernel would, and
# show what a correct routine does next to the broken variants rasim must
# catch; last, a contpte fold without TLBI that only the MMU checker sees.
# Writes JSON, JUnit and SVG heat maps to BUILD/demo/.
set -u
build=${1:-build}
rasim=$build/rasim
out=$build/demo
mkdir -p "$out"
status=0

campaign() { # name scenario expected-exit what
    name=$1 scenario=$2 expect=$3 what=$4
    echo "== $what"
    echo "   rasim campaign $scenario"
    "$rasim" campaign "$scenario" --search "$build/examples" --quiet \
        --json "$out/$name.json" --junit "$out/$name.junit.xml" --svg "$out/$name.svg"
    rc=$?
    "$rasim" report merge "$out/$name.json" | sed 's/^/   /'
    if [ "$rc" -eq "$expect" ]; then
        if [ "$expect" -eq 0 ]; then verdict="every run accepted"; else verdict="caught"; fi
    else
        verdict="UNEXPECTED (exit $rc, wanted $expect)"
        status=1
    fi
    echo "   -> $verdict; $out/$name.svg"
    echo "$what: $verdict" >> "$out/summary.txt"
    echo
}

checked_run() { # scenario expected-exit what: one run under the MMU checker
    scenario=$1 expect=$2 what=$3
    echo "== $what"
    echo "   rasim run $scenario"
    "$rasim" run "$scenario" --search "$build/examples" > "$out/run.txt"
    rc=$?
    grep -E '^  (FAILED|ok      [0-9]+ MMU)' "$out/run.txt" | sed 's/^/   /'
    if [ "$rc" -eq "$expect" ]; then
        if [ "$expect" -eq 0 ]; then verdict="every expectation held"; else verdict="caught"; fi
    else
        verdict="UNEXPECTED (exit $rc, wanted $expect)"
        status=1
    fi
    echo "   -> $verdict"
    echo "$what: $verdict" >> "$out/summary.txt"
    echo
}

: > "$out/summary.txt"
campaign arm64-copy-mc-page examples/scenarios/arm64-copy-mc-page.yaml 0 \
    "arm64 copy_mc_page (v13 shape: an entry on every load and store), every line of both pages"
campaign arm64-copy-mc-user-highpage examples/scenarios/arm64-copy-mc-user-highpage.yaml 0 \
    "arm64 copy_mc_user_highpage in C: the error propagated, memory_failure queued"
campaign arm64-mte-copy-mc-page-tags examples/scenarios/arm64-mte-copy-mc-page-tags.yaml 0 \
    "arm64 mte_copy_mc_page_tags: poison in the tag storage of both pages"
campaign rv64-memcpy-mc examples/scenarios/rv64-memcpy-mc.yaml 0 \
    "riscv memcpy_mc (FIXUP on every load), 4 KiB, every line of source and destination"
campaign arm64-copy-mc-page-v8 examples/broken/arm64-copy-mc-page-v8.yaml 1 \
    "BROKEN: round v8's fixup only moves PC (seeds/000: 'is there any error returned?')"
campaign arm64-copy-mc-highpage-zero examples/broken/arm64-copy-mc-highpage-zero.yaml 1 \
    "BROKEN: round v8's copy_mc_user_highpage always returns 0 (seeds/000)"
campaign arm64-mte-copy-mc-tags-load-only examples/broken/arm64-mte-copy-mc-tags-load-only.yaml 1 \
    "BROKEN: round v8's tag copy has an entry on LDGM only (seeds/000: 'here you skip the destination')"
campaign rv64-copy-mc-fallback examples/broken/rv64-copy-mc-fallback.yaml 1 \
    "BROKEN: the generic copy_mc_to_kernel fallback, a plain memcpy with no extable"
campaign rv64-memcpy-mc-no-error examples/broken/rv64-memcpy-mc-no-error.yaml 1 \
    "BROKEN: a copy whose fixup reports success"
checked_run examples/broken/arm64-contpte-fold-no-tlbi.yaml 1 \
    "BROKEN: a contpte fold without TLB invalidation (the data is right; the MMU checker is not fooled)"

echo "== summary (also in $out/summary.txt)"
sed 's/^/   /' "$out/summary.txt"
exit $status
