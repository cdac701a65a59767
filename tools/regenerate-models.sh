#!/usr/bin/env bash
# Regenerates the bundled ONNX models, their TorchScript twins and their descriptors from the nsfwjs npm
# tarball: all three of nsfwjs's models, mobilenet_v2 and inception_v3 (Keras layers models) and
# mobilenet_v2_mid (a TensorFlow graph model).
#
#   tools/regenerate-models.sh path/to/nsfwjs-4.4.0.tgz           # rewrite keshikaran-models/ resources
#   tools/regenerate-models.sh --check path/to/nsfwjs-4.4.0.tgz   # convert to a temp dir, compare, change nothing
#
# Get the tarball with `npm pack nsfwjs@4.4.0`. The conversion is deterministic: the same tarball and the same
# converter version give byte-identical files, so --check must report no difference on an unchanged tree.
# Step 2 writes model.pt beside each model.onnx with tools/torchscript/onnx_to_torchscript.py, which needs
# Debian's python3-torch and python3-onnx (apt-get install python3-torch python3-onnx); it is deterministic too
# for a given torch version.
set -euo pipefail

EXPECTED_SHA256=585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382  # nsfwjs-4.4.0.tgz

usage() {
  echo "usage: $0 [--check] path/to/nsfwjs-4.4.0.tgz" >&2
  exit 2
}

check=false
if [[ "${1:-}" == "--check" ]]; then
  check=true
  shift
fi
[[ $# -eq 1 ]] || usage
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -f "$tarball" ]] || { echo "error: $1 is not a file" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
models="$root/keshikaran-models/src/main/resources/io/keshikaran/models"

actual=$(sha256sum "$tarball" | cut -d' ' -f1)
if [[ "$actual" != "$EXPECTED_SHA256" ]]; then
  echo "WARNING: $tarball has sha256 $actual," >&2
  echo "         not the recorded nsfwjs-4.4.0.tgz sha256 $EXPECTED_SHA256." >&2
  echo "         The models will differ from the bundled ones; update PROVENANCE.md if this is intended." >&2
fi

# Build only the converter (it does not depend on the other modules), then run it from its classes.
mvn -q -B -f "$root/pom.xml" -pl keshikaran-converter -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/runtime-classpath.txt -Dmdep.includeScope=runtime
classpath="$root/keshikaran-converter/target/classes:$(cat "$root/keshikaran-converter/target/runtime-classpath.txt")"

python=/usr/bin/python3
if ! "$python" -c "import torch, onnx" 2>/dev/null; then
  echo "error: $python cannot import torch and onnx; install them with: apt-get install python3-torch python3-onnx" >&2
  exit 2
fi

# Step 2: the TorchScript twin (model.pt) of every model in DIR/models.txt that has a model.onnx.
torchscript() {
  "$python" "$root/tools/torchscript/onnx_to_torchscript.py" --models-dir "$1"
}

if $check; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  java -cp "$classpath" io.keshikaran.converter.Main convert --tarball "$tarball" --out "$tmp" \
      --models mobilenet_v2,inception_v3,mobilenet_v2_mid
  cp "$models/models.txt" "$tmp/models.txt"
  torchscript "$tmp"
  rm "$tmp/models.txt"
  same=true
  for model in "$tmp"/*/; do
    model=$(basename "$model")
    diff -r "$tmp/$model" "$models/$model" || same=false
  done
  tar -xzOf "$tarball" package/LICENSE | cmp -s - "$root/keshikaran-models/LICENSE-nsfwjs" || same=false
  if $same; then
    echo "OK: the bundled models are exactly what the converter produces."
  else
    echo "DIFFERENT: the bundled models are not what the converter produces from $tarball." >&2
    exit 1
  fi
  exit 0
fi

java -cp "$classpath" io.keshikaran.converter.Main convert --tarball "$tarball" --out "$models" \
    --models mobilenet_v2,inception_v3,mobilenet_v2_mid
torchscript "$models"
tar -xzOf "$tarball" package/LICENSE > "$root/keshikaran-models/LICENSE-nsfwjs"
echo
echo "Wrote (sha256):"
(cd "$root" && sha256sum keshikaran-models/src/main/resources/io/keshikaran/models/*/* keshikaran-models/LICENSE-nsfwjs)
echo "If any hash changed, update keshikaran-models/PROVENANCE.md."
