#!/usr/bin/env sh
# The release build of todo-chatbot, exactly as the Dockerfile makes it; the benchmarks measure this binary.
#   --static-swift-stdlib        the Swift runtime and Foundation linked in: the image needs no Swift libraries.
#   -use-ld=lld, pack-relative-relocs
#                                relative relocations packed (DT_RELR, glibc ≥ 2.36): 3.5 MB of .rela.dyn the loader
#                                read at every start shrink to 30 kB; that is 3.5 MB less resident memory per replica.
#   --no-export-dynamic          undoes the static-stdlib default of exporting every symbol (5 MB of dynamic symbol
#                                table that nothing looks up); crash backtraces then show addresses, which the
#                                unstripped binary symbolicates.
# Usage: scripts/build-release.sh [more swift build arguments, e.g. --show-bin-path]
set -eu
exec swift build -c release --product todo-chatbot --static-swift-stdlib \
  -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic "$@"
