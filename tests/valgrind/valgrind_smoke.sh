#!/bin/sh
# valgrind over the CLI on the examples: every command must exit as it
# does natively, with no memory error and no definite leak.
# Usage: valgrind_smoke.sh BUILD_DIR SOURCE_DIR
# (ctest runs it in the normal build only: the sanitizer build's ASan
# runtime and valgrind do not mix.)
set -u
build=$1 src=$2
rasim=$build/rasim ex=$build/examples
tmp=$build/tests/tmp/valgrind
rm -rf "$tmp"
mkdir -p "$tmp"
if ! command -v valgrind >/dev/null; then
    echo "valgrind is not installed: sh scripts/install-deps.sh check" >&2
    exit 1
fi
printf 'step 3\nbreak rasim_memcpy_mc+0x32\ncontinue\nregs\nx/4xg src\ndelete\ncontinue\nlog\nbt\nquit\n' > "$tmp/step.cmds"
status=0 n=0
# vg NAME ARGS...: run rasim ARGS under valgrind.
vg() {
    name=$1
    shift
    n=$((n + 1))
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file="$tmp/$name.log" "$rasim" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    if [ "$rc" != 0 ] || [ -s "$tmp/$name.log" ]; then
        echo "FAIL $name: exit $rc: rasim $*"
        cat "$tmp/$name.err" "$tmp/$name.log"
        status=1
    else
        echo "ok   $name"
    fi
}
vg call-rv64-poison call "$ex/rv64/memcpy_mc.o" --sym rasim_memcpy_mc --buf dst=4096 \
    --buf src=4096,fill=0x5a --arg dst --arg src --arg 4096 --poison src+0x840
vg call-aarch64 call "$ex/aarch64/copy_mc_page.o" --sym rasim_copy_mc_page \
    --profile arm64-copy-mc-v13 --buf dst=4096 --buf src=4096,fill=0x11 --arg dst --arg src \
    --poison src+0x100 --save dst="$tmp/dst.bin"
vg run run "$src/examples/scenarios/rv64-memcpy-mc.yaml" --search "$ex"
vg campaign campaign "$src/examples/scenarios/rv64-memcpy-mc.yaml" --search "$ex" --quiet \
    --json "$tmp/c.json" --junit "$tmp/c.xml" --svg "$tmp/c.svg"
vg disasm-aarch64 disasm "$ex/aarch64/copy_mc_page.o" --profile arm64-copy-mc-v13
vg disasm-rv64 disasm "$ex/rv64/memcpy_mc.o"
vg info info "$ex/aarch64/clear_user.o"
vg info-json info "$ex/rv64/memcpy_mc.o" --json
vg step step "$ex/rv64/memcpy_mc.o" --sym rasim_copy_mc_to_user --buf dst=256 \
    --buf src=256,fill=0x5a --arg dst --arg src --arg 200 --poison src+0x40 --batch "$tmp/step.cmds"
vg pt-dump pt dump --arch rv64 --mem "$ex/rv64/memcpy_mc.o@0x1000" --root 0x1000
[ $status = 0 ] && echo "valgrind: $n commands clean"
exit $status
