#!/usr/bin/env bash
# fetch-sysid.sh — download the system-identification benchmarks from their official sources,
# convert them to the lab's CSV layout, and verify them against sysid-checksums.txt.
#
# These files have no redistribution licence, so they are never committed (see README.md).
#
#   datasets/fetch-sysid.sh [DATA_DIR]
#
# DATA_DIR: the argument, else $SSLAB_DATA_DIR, else datasets/sysid (ignored by git). The
# downloads go to DATA_DIR/raw; archives already there are not fetched again, so a user
# whose network cannot reach a source can download it by hand into DATA_DIR/raw (same file
# name) and re-run. Needs curl, python3 with numpy and scipy, and sha256sum.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
data="${1:-${SSLAB_DATA_DIR:-$here/sysid}}"
raw="$data/raw"
mkdir -p "$raw"

# file name | candidate URLs (tried in order)
sources=(
  "CascadedTanksFiles.zip|https://data.4tu.nl/file/d4810b78-6cdd-48fe-8950-9bd601e5f47f/3b697e42-01a4-4979-a370-813a456c36f5 http://www.nonlinearbenchmark.org/FILES/BENCHMARKS/CASCADEDTANKS/CascadedTanksFiles.zip"
  "SilverboxFiles.zip|http://www.nonlinearbenchmark.org/FILES/BENCHMARKS/SILVERBOX/SilverboxFiles.zip"
  "EMPS.zip|http://www.nonlinearbenchmark.org/FILES/BENCHMARKS/EMPS/EMPS.zip"
  "robot_arm.dat.gz|https://ftp.esat.kuleuven.be/pub/SISTA/data/mechanical/robot_arm.dat.gz"
  "CD_player_arm.dat.gz|https://ftp.esat.kuleuven.be/pub/SISTA/data/mechanical/CD_player_arm.dat.gz"
  "exchanger.dat.gz|https://ftp.esat.kuleuven.be/pub/SISTA/data/process_industry/exchanger.dat.gz"
  "ballbeam.dat.gz|https://ftp.esat.kuleuven.be/pub/SISTA/data/mechanical/ballbeam.dat.gz"
)

missing=0
for entry in "${sources[@]}"; do
  name="${entry%%|*}"
  urls="${entry#*|}"
  if [ -s "$raw/$name" ]; then echo "have $raw/$name"; continue; fi
  ok=0
  for url in $urls; do
    echo "fetching $name from $url"
    if curl -fL --retry 2 --connect-timeout 20 -o "$raw/$name.part" "$url"; then
      mv "$raw/$name.part" "$raw/$name"; ok=1; break
    fi
  done
  rm -f "$raw/$name.part"
  if [ "$ok" = 0 ]; then
    echo "fetch-sysid: could not download $name; download it by hand into $raw/$name (sources: $urls)" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1

python3 "$here/convert_sysid.py" "$raw" "$data"

# Verify: the loader checks the same sums and names any file that differs.
(cd "$data" && sha256sum -c "$here/sysid-checksums.txt")
echo "fetch-sysid: sysid datasets ready in $data (export SSLAB_DATA_DIR=$data if it is not datasets/sysid)"
