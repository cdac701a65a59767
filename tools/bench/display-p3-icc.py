#!/usr/bin/env python3
"""Writes a Display P3 ICC profile (v2, matrix/TRC), as iPhones embed in their photos.

    python3 tools/bench/display-p3-icc.py OUT.icc

Debian ships no Display P3 profile, so tools/bench/phone-photos.sh makes one: the P3 primaries
adapted to D50 (Bradford), as in Apple's own profile, and the sRGB transfer curve as a 1024-entry
table. It is a test input for colour-managed decoding, not a reference profile.
"""
import struct
import sys

RED = (0.515102, 0.241196, -0.001053)
GREEN = (0.291965, 0.692236, 0.041882)
BLUE = (0.157153, 0.066569, 0.784073)
D50 = (0.964203, 1.0, 0.824905)


def s15(v):
    return struct.pack('>i', int(round(v * 65536)))


def xyz(v):
    return b'XYZ ' + b'\0' * 4 + b''.join(s15(c) for c in v)


def srgb_curve(n=1024):
    out = []
    for i in range(n):
        x = i / (n - 1)
        y = x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4
        out.append(int(round(y * 65535)))
    return b'curv' + b'\0' * 4 + struct.pack('>I', n) + b''.join(struct.pack('>H', v) for v in out)


def desc(text):
    ascii_text = text.encode('ascii') + b'\0'
    return (b'desc' + b'\0' * 4 + struct.pack('>I', len(ascii_text)) + ascii_text
            + struct.pack('>II', 0, 0) + struct.pack('>HB', 0, 0) + b'\0' * 67)


def text(t):
    return b'text' + b'\0' * 4 + t.encode('ascii') + b'\0'


def profile():
    curve = srgb_curve()
    tags = [(b'desc', desc('Display P3')), (b'cprt', text('No copyright, use freely')),
            (b'wtpt', xyz(D50)), (b'rXYZ', xyz(RED)), (b'gXYZ', xyz(GREEN)), (b'bXYZ', xyz(BLUE)),
            (b'rTRC', curve), (b'gTRC', curve), (b'bTRC', curve)]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    entries, data, placed = [], b'', {}
    for sig, body in tags:
        if body not in placed:
            while (offset + len(data)) % 4:
                data += b'\0'
            placed[body] = offset + len(data)
            data += body
        entries.append(struct.pack('>4sII', sig, placed[body], len(body)))
    while len(data) % 4:
        data += b'\0'
    size = 128 + table_size + len(data)
    header = (struct.pack('>I', size) + b'lcms' + struct.pack('>I', 0x02100000) + b'mntr' + b'RGB '
              + b'XYZ ' + struct.pack('>6H', 2026, 12, 1, 0, 0, 0) + b'acsp' + b'APPL'
              + struct.pack('>I', 0) + b'\0' * 8 + b'\0' * 8 + struct.pack('>I', 0)
              + b''.join(s15(c) for c in D50) + b'kesh' + b'\0' * 44)
    assert len(header) == 128
    return header + struct.pack('>I', len(tags)) + b''.join(entries) + data


if __name__ == '__main__':
    with open(sys.argv[1], 'wb') as f:
        f.write(profile())
