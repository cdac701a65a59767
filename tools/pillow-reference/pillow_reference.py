#!/usr/bin/python3
"""Writes fixtures/expected/pillow-reference.json: what Pillow itself computes for the preprocessing
steps keshikaran's model presets borrow from Pillow-based reference code.

    /usr/bin/python3 tools/pillow-reference/pillow_reference.py

Needs Debian's python3-pil (9.4) and numpy; run by hand, not by CI, whenever a case is added. The Java
tests (keshikaran-api PillowParityTest) recompute every case and must get the same bytes.

Inputs are the RGB PNG fixtures (PNG decodes to the same bytes everywhere) plus a small synthetic
image with hard edges, which makes bicubic overshoot and exercises the 8-bit clamping. Each case records
the SHA-256 of the interleaved 8-bit RGB result and a few sample values, for readable failures:
  - resize: Image.resize((w, h), resample) for NEAREST, BILINEAR and BICUBIC, shrinking and enlarging,
    square and not (Falconsai's 224 bilinear, kleamp1e's 384 bicubic, Yahoo's 256 bilinear among them);
  - yahoo: open_nsfw's classify_nsfw.py steps 2-4: resize to 256x256 BILINEAR, save as JPEG with
    Pillow's defaults (quality 75, 4:2:0) and decode again, then the centre 224x224 crop.
  - presets: each model family's whole reference preprocessing, written out step by step in numpy the way
    its own code does it (not with keshikaran's formulas), on the synthetic image and a photo. Recorded:
    the tensor's shape, each channel's mean (in the model's channel order) and some sample values.
    keshikaran-api ModelPresetTest compares its tensors with these, and keshikaran-djl PresetModelTest
    runs small models on them whose expected outputs follow from the channel means.
"""

import hashlib
import io
import json
import os
import sys

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
IMAGES = os.path.join(ROOT, "fixtures", "images")
OUT = os.path.join(ROOT, "fixtures", "expected", "pillow-reference.json")

METHODS = {"NEAREST": Image.NEAREST, "BILINEAR": Image.BILINEAR, "BICUBIC": Image.BICUBIC}
SIZES = [(224, 224), (256, 256), (384, 384), (97, 41), (500, 300)]


def synthetic():
    """A 61x43 image with hard vertical, horizontal and diagonal edges (for bicubic overshoot)."""
    w, h = 61, 43
    a = np.zeros((h, w, 3), dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            a[y, x, 0] = 255 if (x // 4) % 2 == 0 else 0
            a[y, x, 1] = 255 if (y // 3) % 2 == 0 else 10
            a[y, x, 2] = 250 if (x + y) % 7 < 3 else 5
    return Image.fromarray(a, "RGB")


def record(arr):
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    flat = arr.reshape(-1)
    n = flat.size
    samples = {str(i): int(flat[i]) for i in sorted({0, 1, 2, n // 3, n // 2, n - 1})}
    return {"width": int(arr.shape[1]), "height": int(arr.shape[0]),
            "sha256": hashlib.sha256(flat.tobytes()).hexdigest(), "samples": samples}


def tf_resize_bilinear_align_corners(x, new_h, new_w):
    """tf.image.resizeBilinear(x, [new_h, new_w], alignCorners=true) as tfjs's CPU kernel computes it:
    float32 inputs, double arithmetic, float32 result."""
    old_h, old_w, _ = x.shape
    if (old_h, old_w) == (new_h, new_w):
        return x.copy()
    x = x.astype(np.float64)
    hs = (old_h - 1) / (new_h - 1) if new_h > 1 else old_h / new_h
    ws = (old_w - 1) / (new_w - 1) if new_w > 1 else old_w / new_w
    out = np.zeros((new_h, new_w, 3), dtype=np.float32)
    for r in range(new_h):
        fr = hs * r
        r0 = int(np.floor(fr))
        rf = fr - r0
        r1 = min(old_h - 1, int(np.ceil(fr)))
        for c in range(new_w):
            fc = ws * c
            c0 = int(np.floor(fc))
            cf = fc - c0
            c1 = min(old_w - 1, int(np.ceil(fc)))
            top = x[r0, c0] + (x[r0, c1] - x[r0, c0]) * cf
            bottom = x[r1, c0] + (x[r1, c1] - x[r1, c0]) * cf
            out[r, c] = (top + (bottom - top) * rf).astype(np.float32)
    return out


def preset_tensors(im):
    """Each family's reference preprocessing, as its own code does it. Returns {preset: (tensor, layout)}."""
    tensors = {}
    # nsfwjs src/core.ts: tf.browser.fromPixels -> toFloat().div(255) -> resizeBilinear(alignCorners) -> [1,224,224,3]
    x = np.asarray(im.convert("RGB")).astype(np.float32) / np.float32(255)
    tensors["nsfwjs"] = tf_resize_bilinear_align_corners(x, 224, 224)[np.newaxis]
    # Yahoo open_nsfw classify_nsfw.py: Pillow resize 256 BILINEAR, JPEG save/load, caffe.io.load_image
    # (skimage img_as_float -> float32), centre crop, caffe Transformer: transpose(2,0,1), channel swap (2,1,0),
    # raw_scale 255, mean [104, 117, 123].
    resized = im.convert("RGB").resize((256, 256), resample=Image.BILINEAR)
    buf = io.BytesIO()
    resized.save(buf, format="JPEG")
    buf.seek(0)
    image = (np.asarray(Image.open(buf).convert("RGB")).astype(np.float64) / 255.0).astype(np.float32)
    crop = image[16:16 + 224, 16:16 + 224, :]
    caffe_in = crop.astype(np.float32).transpose((2, 0, 1))
    caffe_in = caffe_in[(2, 1, 0), :, :]
    caffe_in = caffe_in * np.float32(255)
    caffe_in -= np.array([104, 117, 123])[:, np.newaxis, np.newaxis]
    tensors["yahoo_open_nsfw"] = caffe_in.astype(np.float32)[np.newaxis]
    # kleamp1e predict.py: image.resize((384, 384), BICUBIC) -> convert("RGB") -> float32 / 255 -> [1,384,384,3]
    image = im.resize((384, 384), resample=Image.BICUBIC).convert("RGB")
    tensors["kleamp1e_2022"] = (np.array(image, dtype=np.float32) / 255)[np.newaxis]
    # Falconsai, Hugging Face ViTImageProcessor: PIL resize 224x224 BILINEAR on uint8, rescale (float64 * 1/255
    # -> float32), normalize with float32 mean/std 0.5, channels first.
    image = np.asarray(im.convert("RGB").resize((224, 224), resample=Image.BILINEAR))
    rescaled = (image.astype(np.float64) * (1 / 255)).astype(np.float32)
    mean = np.array([0.5, 0.5, 0.5], dtype=np.float32)
    std = np.array([0.5, 0.5, 0.5], dtype=np.float32)
    normalized = (rescaled - mean) / std
    tensors["falconsai_vit"] = normalized.transpose((2, 0, 1))[np.newaxis].astype(np.float32)
    return tensors


def tensor_record(t, preset):
    nchw = preset in ("yahoo_open_nsfw", "falconsai_vit")
    flat = t.reshape(-1)
    n = flat.size
    rng = np.random.RandomState(7)
    idx = sorted({0, n - 1, n // 2, *[int(i) for i in rng.randint(0, n, 20)]})
    means = [float(t[0, c].astype(np.float64).mean()) if nchw else float(t[0, :, :, c].astype(np.float64).mean())
             for c in range(3)]
    return {"shape": list(t.shape), "channelMeans": means,
            "samples": {str(i): float(flat[i]) for i in idx}}


def main():
    sources = {}
    for name in sorted(os.listdir(IMAGES)):
        if name.endswith(".png"):
            im = Image.open(os.path.join(IMAGES, name))
            if im.mode == "RGB":
                sources[name] = im
    sources["synthetic-edges"] = synthetic()

    result = {"generator": f"Pillow {PIL.__version__}, numpy {np.__version__} ({os.path.basename(__file__)})",
              "synthetic-edges": "61x43: R = 255 if (x // 4) % 2 == 0 else 0; G = 255 if (y // 3) % 2 == 0 else 10; "
                                 "B = 250 if (x + y) % 7 < 3 else 5",
              "sources": {}, "resize": [], "yahoo": [], "presets": []}
    for name, im in sources.items():
        result["sources"][name] = record(np.asarray(im))
        for method, resample in METHODS.items():
            for w, h in SIZES:
                out = im.resize((w, h), resample=resample)
                entry = {"image": name, "method": method}
                entry.update(record(np.asarray(out)))
                result["resize"].append(entry)
        # Yahoo open_nsfw, classify_nsfw.py: resize_image() then the crop in caffe_preprocess_and_compute().
        resized = im.resize((256, 256), resample=Image.BILINEAR)
        buf = io.BytesIO()
        resized.save(buf, format="JPEG")
        buf.seek(0)
        decoded = np.asarray(Image.open(buf).convert("RGB"))
        crop = decoded[16:16 + 224, 16:16 + 224, :]
        entry = {"image": name, "jpegBytes": len(buf.getvalue())}
        entry.update(record(crop))
        result["yahoo"].append(entry)

    for name in ("synthetic-edges", "cat-chelsea.png"):
        for preset, tensor in preset_tensors(sources[name]).items():
            entry = {"image": name, "preset": preset}
            entry.update(tensor_record(tensor, preset))
            result["presets"].append(entry)

    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(result['resize'])} resize cases, {len(result['yahoo'])} yahoo cases, "
          f"{len(result['presets'])} preset cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
