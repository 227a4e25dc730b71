#!/usr/bin/env python3
"""Makes a smaller copy of the ICU data that Foundation embeds in a static Swift binary.

Swift's static Foundation links ICU's whole data package (the `icudtNN_dat` symbol of lib_FoundationICU.a,
about 34 MB) although a server that speaks English needs a small part of it. This script reads that package
(ICU "common data": a header, a table of contents of named items, then the items), keeps what the product can
use, and writes an assembly file that defines the same symbol with the smaller package. Linking that object
before the toolchain's archive means the linker never pulls the original in; everything else stays the
toolchain's code.

Kept: every item that is not locale data (normalization, properties, time zones, plural rules, the shared
string pools, root collation and break rules), plus the locale data of root and English. Dropped: the data of
the other ~800 locales, transliterators, legacy charset converters, and the dictionaries for breaking Chinese,
Japanese, Thai, Lao, Khmer and Burmese text into words.

Usage: icu-trim.py <lib_FoundationICU.a> <out-dir>      writes <out-dir>/icudata.S and prints the sizes
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

KEEP_LOCALES = re.compile(r"^(root|en|en_US|en_US_POSIX|en_001|en_150|en_GB)$")
LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")
NOT_LOCALES = {"res_index", "pool"}
DROP_TREES = ("translit/",)


def keep(name: str) -> bool:
    path = name.split("/", 1)[1] if "/" in name else name   # drop the "icudt76l/" prefix
    if path.startswith(DROP_TREES) or path.endswith(".cnv") or path.endswith(".dict"):
        return False
    base, ext = os.path.splitext(path.rsplit("/", 1)[-1])
    if ext == ".res" and base not in NOT_LOCALES and LOCALE_NAME.match(base):
        return bool(KEEP_LOCALES.match(base))
    return True


def main() -> None:
    archive, out_dir = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["ar", "x", archive, "icu_packaged_data.cpp.o"], cwd=work, check=True)
        obj = os.path.join(work, "icu_packaged_data.cpp.o")
        symbol = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout.split()[-1]
        raw = os.path.join(work, "icudt.dat")
        subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", obj, raw], check=True)
        data = open(raw, "rb").read()

    header_size = struct.unpack_from("<H", data, 0)[0]
    assert data[2:4] == b"\xda\x27" and data[12:16] == b"CmnD", "not ICU common data"
    toc = header_size
    count = struct.unpack_from("<I", data, toc)[0]
    entries = [struct.unpack_from("<II", data, toc + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(data) - toc
        name = data[toc + name_offset:data.index(b"\0", toc + name_offset)].decode()
        items.append((name, data[toc + data_offset:toc + end]))
    kept = [(name, body) for name, body in items if keep(name)]

    # Same layout as ICU's pkgdata: TOC, the names, then each item aligned to 16 bytes. Names stay sorted, since
    # ICU finds items by binary search.
    names = b"".join(name.encode() + b"\0" for name, _ in kept)
    names_start = 4 + 8 * len(kept)
    offsets, name_offset = [], names_start
    data_offset = (names_start + len(names) + 15) // 16 * 16
    body = bytearray()
    for name, item in kept:
        offsets.append((name_offset, data_offset + len(body)))
        name_offset += len(name.encode()) + 1
        body += item + b"\0" * ((16 - len(item) % 16) % 16)
    out = bytearray(data[:header_size]) + struct.pack("<I", len(kept))
    for pair in offsets:
        out += struct.pack("<II", *pair)
    out += names + b"\0" * (data_offset - names_start - len(names)) + body

    os.makedirs(out_dir, exist_ok=True)
    dat = os.path.join(out_dir, "icudata.dat")
    open(dat, "wb").write(out)
    with open(os.path.join(out_dir, "icudata.S"), "w") as asm:
        asm.write(f'''    .section .rodata.{symbol},"a"
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{os.path.abspath(dat)}"
    .size {symbol}, . - {symbol}
    .section .note.GNU-stack,"",@progbits
''')
    print(f"{symbol}: {len(items)} items, {len(data) / 1e6:.1f} MB -> {len(kept)} items, {len(out) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
