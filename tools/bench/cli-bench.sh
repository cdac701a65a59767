#!/bin/sh
# Benchmarks the keshikaran command as a user runs it. Run by hand, not by CI.
#   1. start to first score: `keshikaran fixtures/images/dog.jpg`, cold JVM each time (hyperfine);
#   2. a whole folder (default tools/bench/out/folder, 210 real images): wall time (hyperfine),
#      images/s, and peak RSS (GNU time's "Maximum resident set size").
# Needs: mvn -q -o package -DskipTests -pl keshikaran-cli; tools/bench/make-bench-images.sh;
# apt-get install -y hyperfine time.
# Usage: tools/bench/cli-bench.sh [FOLDER] [RUNS]
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
folder=${1:-$here/out/folder}
runs=${2:-10}
cli=$repo/keshikaran-cli/target/keshikaran
dog=$repo/fixtures/images/dog.jpg
[ -x "$cli" ] || { echo "cli-bench.sh: build the CLI first: mvn -q -o package -DskipTests -pl keshikaran-cli" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "cli-bench.sh: apt-get install -y hyperfine" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "cli-bench.sh: apt-get install -y time" >&2; exit 1; }
files=$(find "$folder" -type f | wc -l)

echo "== start to first score: $cli $dog ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
# The first run may create the launcher's class-data archive; hyperfine's warm-up run absorbs it.
hyperfine -N -w 2 -r "$runs" "$cli $dog"
echo "== whole folder: $folder, $files files (load $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine -N -w 1 -r 3 "$cli --progress never $folder"
/usr/bin/time -v "$cli" --progress never "$folder" 2>&1 >/dev/null \
  | grep -E 'keshikaran:|Elapsed \(wall|Maximum resident set size'
echo "(load after: $(cut -d' ' -f1-3 /proc/loadavg))"
