#!/bin/sh
# Build the kernel's own library routines from Debian's linux-source-6.1,
# for tests that run real kernel code. Nothing from the kernel tree is kept
# in this repository: the tree is unpacked into the build directory once and
# reused (a stamp per architecture), so only the first build pays for it.
#
#   build-kernel-lib.sh OUT_DIR
# leaves OUT_DIR/arm64/*.o and OUT_DIR/riscv/*.o
set -eu
# kbuild runs its own make: do not let it inherit the caller's jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL
out=$1
tarball=/usr/src/linux-source-6.1.tar.xz
src=$out/linux-source-6.1
mkdir -p "$out"
if [ ! -f "$tarball" ]; then
    echo "build-kernel-lib: $tarball is missing (Debian package linux-source-6.1; make check installs it)" >&2
    exit 1
fi
if [ ! -f "$src/.unpacked" ]; then
    rm -rf "$src"
    tar -C "$out" -xf "$tarball"
    touch "$src/.unpacked"
fi

build() {
    arch=$1 cross=$2
    shift 2
    stamp=$out/$arch.stamp
    [ -f "$stamp" ] && return 0
    obj=$out/$arch-build
    kmake() { make -s -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" "$@"; }
    kmake defconfig >/dev/null
    kmake -j"$(nproc)" prepare >/dev/null
    # One object at a time: parallel single-object targets race in kbuild.
    for f in "$@"; do
        kmake -j1 "arch/$arch/lib/$f" >/dev/null
    done
    mkdir -p "$out/$arch"
    for f in "$@"; do
        cp "$obj/arch/$arch/lib/$f" "$out/$arch/$f"
    done
    touch "$stamp"
}

build arm64 aarch64-linux-gnu- copy_page.o clear_page.o memcpy.o memset.o \
    copy_from_user.o copy_to_user.o clear_user.o mte.o
build riscv riscv64-linux-gnu- memcpy.o memset.o memmove.o uaccess.o
