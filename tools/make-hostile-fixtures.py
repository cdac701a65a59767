#!/usr/bin/env python3
"""Writes the hand-made files of fixtures/hostile (the fuzz-found ones are committed as found).

Each is a small file whose headers claim far more than it holds; see fixtures/hostile/README.md.
Run from the repository root: python3 tools/make-hostile-fixtures.py
"""
import struct

def riff(chunks):
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body

def chunk(fourcc, payload):
    return fourcc + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) % 2 else b"")

def vp8(width, height, part0, data):
    tag = 0 | (0 << 1) | (1 << 4) | (part0 << 5)  # key frame, version 0, shown
    return struct.pack("<I", tag)[:3] + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + data

def vp8x(width, height, flags=0):
    return struct.pack("<B3x", flags) + struct.pack("<I", width - 1)[:3] + struct.pack("<I", height - 1)[:3]

out = "fixtures/hostile/"
# A plain VP8 frame claiming 9000x9000 (81 MP, under the default 100 MP) with 60 bytes of data:
# TwelveMonkeys allocated its macroblock grid (about 4.8 GB) before noticing the missing data.
open(out + "webp-vp8-claims-9000x9000-in-90-bytes.webp", "wb").write(
    riff([chunk(b"VP8 ", vp8(9000, 9000, 40, bytes(range(60))))]))
# The moderation-server case: an extended WebP whose canvas and frame agree on 6000x6000 (36 MP,
# under the server's 40 MP) with almost no data.
open(out + "webp-vp8x-claims-6000x6000-in-188-bytes.webp", "wb").write(
    riff([chunk(b"VP8X", vp8x(6000, 6000)), chunk(b"VP8 ", vp8(6000, 6000, 100, bytes(140)))]))
# An animation whose 50 frames each claim the whole 6000x6000 canvas with a VP8 frame of 10 bytes of data.
frames = [chunk(b"ANMF", struct.pack("<I", 0)[:3] * 2 + struct.pack("<I", 5999)[:3] * 2 + b"\x64\0\0\0"
                + chunk(b"VP8 ", vp8(6000, 6000, 4, bytes(10)))) for _ in range(50)]
open(out + "webp-animation-50-frames-claim-6000x6000.webp", "wb").write(
    riff([chunk(b"VP8X", vp8x(6000, 6000, 0x02)), chunk(b"ANIM", bytes(6))] + frames))
