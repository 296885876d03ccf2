#!/bin/sh
# Build the user programs into bin/NAME.elf (RV32IM, static, freestanding, with
# the tiny libc in libc/). Usage: build.sh [output-directory] (default bin).
# Needs clang and lld (Debian: apt-get install clang lld); the built ELF files
# are committed, so only people changing these sources need the toolchain.
#
# Reproducible: no debug information, no build id, sources named by relative
# paths from this directory, so the same clang gives the same bytes anywhere
# (test/userland/binaries.test.ts checks it).
set -eu
cd "$(dirname "$0")"
OUT=${1:-bin}
CC=${CC:-clang}
PROGRAMS="init hello spin forkbomb memtest cat echo ls wc crash badptr badargs writer mkfiles pidloop forkexit pingpong yieldloop primes bench fetch nc httpd socktest clock paint wincrash wintest hardening fsdiff"
LIBC="libc/crt0.S libc/syscalls.c libc/string.c libc/malloc.c libc/printf.c libc/socket.c libc/window.c"
TARGET="--target=riscv32-unknown-elf -march=rv32im -mabi=ilp32 -mno-relax"
CFLAGS="$TARGET -nostdinc -isystem libc -ffreestanding -fno-builtin -fno-stack-protector -fno-pic \
 -ffunction-sections -fdata-sections -O2 -Wall -Wextra"
# Drop unused libc functions, and the assembler's .L labels from the symbol table.
LDFLAGS="$TARGET -nostdlib -fuse-ld=lld -T link.ld -Wl,--gc-sections -Wl,--discard-locals -Wl,--build-id=none"

OBJ=$(mktemp -d)
trap 'rm -rf "$OBJ"' EXIT
objects=""
for source in $LIBC; do
  object="$OBJ/$(basename "$source").o"
  case $source in
  *.S) $CC $TARGET -c -o "$object" "$source" ;;
  *) $CC $CFLAGS -c -o "$object" "$source" ;;
  esac
  objects="$objects $object"
done
mkdir -p "$OUT"
# The compiler the bytes depend on: binaries.test.ts compares a rebuild only with the same one.
$CC --version | head -n 1 >"$OUT/TOOLCHAIN"
for program in $PROGRAMS; do
  $CC $CFLAGS -c -o "$OBJ/$program.o" "$program.c"
  # shellcheck disable=SC2086
  $CC $LDFLAGS -o "$OUT/$program.elf" $objects "$OBJ/$program.o"
done
