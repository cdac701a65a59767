#!/usr/bin/env bash
# Builds the published modules twice from clean and compares every jar's SHA-256.
# Reproducible builds rest on project.build.outputTimestamp (parent pom): same sources, same jars.
# Usage: tools/check-reproducible.sh [extra mvn args, such as -o]
# Exit 0 when every jar is identical, 1 otherwise (the differing jars are listed).
set -euo pipefail
cd "$(dirname "$0")/.."
modules=keshikaran-bom,keshikaran-api,keshikaran-models-onnx,keshikaran-models-torchscript,keshikaran-djl,keshikaran-cli,keshikaran-converter,keshikaran-spark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for round in 1 2; do
  mvn -B -q "$@" clean package -DskipTests -pl "$modules" -am >"$work/build-$round.log" 2>&1 \
    || { echo "build $round failed, see its log:"; tail -30 "$work/build-$round.log"; exit 2; }
  find keshikaran-*/target -maxdepth 1 -name '*.jar' -o -maxdepth 1 -name '*.tar.gz' -o -maxdepth 1 -name '*.zip' \
    | sort | xargs sha256sum >"$work/round-$round.sha256"
  # Different wall-clock times between the rounds are what the check is about.
  [ "$round" = 1 ] && sleep 2
done

echo "$(wc -l <"$work/round-1.sha256") artifacts compared"
if diff "$work/round-1.sha256" "$work/round-2.sha256"; then
  echo "reproducible: every artifact is byte-identical across two clean builds"
else
  echo "NOT reproducible: the artifacts above differ"
  exit 1
fi
