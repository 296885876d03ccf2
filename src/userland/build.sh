#!/bin/sh
# Build the user programs into bin/*.elf (RV32IM, static, freestanding).
# Needs clang and lld (Debian: apt-get install clang lld); the built ELF files
# are committed, so only people changing these sources need the toolchain.
set -eu
cd "$(dirname "$0")"
CC=${CC:-clang}
CFLAGS="--target=riscv32-unknown-elf -march=rv32im -mabi=ilp32 -mno-relax -nostdlib -ffreestanding -fno-builtin -O2 -Wall -Wextra"
mkdir -p bin
for program in hello primes bench; do
  $CC $CFLAGS -fuse-ld=lld -T link.ld -o "bin/$program.elf" crt0.S lib.c "$program.c"
done
ls -l bin
