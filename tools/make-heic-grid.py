#!/usr/bin/python3
"""Writes a HEIC whose primary item is a grid of HEVC tiles, as iPhones store their photos.

libheif 1.15's heif-enc and ImageMagick cannot write grids, so this takes single-image HEICs (one
per tile, same size, as ImageMagick/libheif write them: one hvc1 item, its data alone in mdat) and
assembles their hvcC properties and coded data into one file: ftyp heic; meta with hdlr pict, pitm 1,
iinf (item 1 'grid', items 2.. 'hvc1' hidden), iref dimg 1 -> tiles, iprp (each tile's hvcC, the
tile ispe, the grid ispe, an optional irot on the grid), idat (the ImageGrid), iloc v1 (the grid in
idat, the tiles in mdat); mdat with the tiles' data. ISO/IEC 23008-12.

usage: make-heic-grid.py OUT COLUMNS ROWS WIDTH HEIGHT IROT TILE.heic...   (IROT 0-3; tiles row by row)
"""
import struct
import sys


def boxes(b, start, end):
    at = start
    while at < end:
        size, = struct.unpack('>I', b[at:at + 4])
        header = 8
        if size == 1:
            size, = struct.unpack('>Q', b[at + 8:at + 16])
            header = 16
        elif size == 0:
            size = end - at
        yield b[at + 4:at + 8].decode('latin1'), at, at + header, at + size
        at += size


def find(b, start, end, typ):
    for t, s, p, e in boxes(b, start, end):
        if t == typ:
            return s, p, e
    raise SystemExit('no %s box' % typ)


def box(typ, payload):
    return struct.pack('>I', 8 + len(payload)) + typ.encode('latin1') + payload


def full(typ, version, flags, payload):
    return box(typ, struct.pack('>I', (version << 24) | flags) + payload)


def tile(path):
    """The tile's hvcC box, size and coded data."""
    b = open(path, 'rb').read()
    _, mp, me = find(b, 0, len(b), 'meta')
    _, ip, ie = find(b, mp + 4, me, 'iprp')
    _, cp, ce = find(b, ip, ie, 'ipco')
    hs, _, he = find(b, cp, ce, 'hvcC')
    _, sp, _ = find(b, cp, ce, 'ispe')
    w, h = struct.unpack('>II', b[sp + 4:sp + 12])
    _, dp, de = find(b, 0, len(b), 'mdat')
    return b[hs:he], w, h, b[dp:de]


def main():
    out, cols, rows, width, height, irot = sys.argv[1], *map(int, sys.argv[2:7])
    tiles = [tile(p) for p in sys.argv[7:]]
    assert len(tiles) == cols * rows, 'need COLUMNS x ROWS tiles'
    tw, th = tiles[0][1], tiles[0][2]
    assert all(t[1] == tw and t[2] == th for t in tiles), 'tiles must have one size'
    n = len(tiles)

    ftyp = box('ftyp', b'heic' + struct.pack('>I', 0) + b'mif1heic')
    hdlr = full('hdlr', 0, 0, struct.pack('>I', 0) + b'pict' + bytes(12) + b'\0')
    pitm = full('pitm', 0, 0, struct.pack('>H', 1))
    infe = [full('infe', 2, 0, struct.pack('>HH', 1, 0) + b'grid' + b'\0')]
    infe += [full('infe', 2, 1, struct.pack('>HH', 2 + i, 0) + b'hvc1' + b'\0') for i in range(n)]  # hidden
    iinf = full('iinf', 0, 0, struct.pack('>H', 1 + n) + b''.join(infe))
    iref = full('iref', 0, 0, box('dimg', struct.pack('>HH', 1, n) + b''.join(struct.pack('>H', 2 + i) for i in range(n))))
    # Properties: 1..n each tile's hvcC, n+1 tile ispe, n+2 grid ispe, n+3 irot.
    props = [t[0] for t in tiles]
    props.append(full('ispe', 0, 0, struct.pack('>II', tw, th)))
    props.append(full('ispe', 0, 0, struct.pack('>II', width, height)))
    grid_assoc = [n + 2]
    if irot:
        props.append(box('irot', bytes([irot & 3])))
        grid_assoc.append(0x80 | (n + 3))  # transformative properties are essential
    ipco = box('ipco', b''.join(props))
    entries = struct.pack('>HB', 1, len(grid_assoc)) + bytes(grid_assoc)
    for i in range(n):
        entries += struct.pack('>HB', 2 + i, 2) + bytes([0x80 | (1 + i), n + 1])
    ipma = full('ipma', 0, 0, struct.pack('>I', 1 + n) + entries)
    iprp = box('iprp', ipco + ipma)
    grid = struct.pack('>BBBBHH', 0, 0, rows - 1, cols - 1, width, height)
    idat = box('idat', grid)

    def iloc(mdat_data_start):
        items = struct.pack('>HHHHII', 1, 1, 0, 1, 0, len(grid))  # construction method 1: idat
        at = mdat_data_start
        for t in tiles:
            items += struct.pack('>HHHHII', 2 + tiles.index(t), 0, 0, 1, at, len(t[3]))
            at += len(t[3])
        return full('iloc', 1, 0, bytes([0x44, 0x00]) + struct.pack('>H', 1 + n) + items)

    def meta(loc):
        return full('meta', 0, 0, hdlr + pitm + loc + iinf + iref + iprp + idat)

    size = len(ftyp) + len(meta(iloc(0)))  # iloc's size does not depend on the offsets
    data = b''.join(t[3] for t in tiles)
    with open(out, 'wb') as f:
        f.write(ftyp + meta(iloc(size + 8)) + box('mdat', data))


if __name__ == '__main__':
    main()
