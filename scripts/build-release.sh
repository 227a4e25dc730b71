#!/usr/bin/env sh
# The release build of todo-chatbot, exactly as the Dockerfile makes it; the benchmarks measure this binary.
#   --static-swift-stdlib        the Swift runtime and Foundation linked in: the image needs no Swift libraries.
#   -use-ld=lld, pack-relative-relocs
#                                relative relocations packed (DT_RELR, glibc ≥ 2.36): 3.5 MB of .rela.dyn the loader
#                                read at every start shrink to 30 kB; that is 3.5 MB less resident memory per replica.
#   --no-export-dynamic          undoes the static-stdlib default of exporting every symbol (5 MB of dynamic symbol
#                                table that nothing looks up); crash backtraces then show addresses, which the
#                                unstripped binary symbolicates.
#   -function-sections, --symbol-ordering-file=scripts/link-order.txt
#                                the code that start-up and the common requests run, packed together: the kernel maps
#                                code 64 KB around each page touched, so scattered start-up code made 18 MB of .text
#                                resident before the first request. scripts/link-order.py regenerates the list; a stale
#                                one only orders less (names it no longer finds are skipped).
# Usage: scripts/build-release.sh [more swift build arguments, e.g. --show-bin-path]
set -eu
root="$(cd -- "$(dirname -- "$0")/.." >/dev/null && pwd)"
order="$root/scripts/link-order.txt"
exec swift build --package-path "$root" -c release --product todo-chatbot --static-swift-stdlib \
  -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic \
  -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
  -Xlinker --symbol-ordering-file="$order" -Xlinker --no-warn-symbol-ordering "$@"
