#!/bin/sh
# make-corpus.sh FIXTURES_DIR OUT_DIR
#
# Cuts every recorded stream (FIXTURES_DIR/*/events.sse) into seeds for
# fuzz-event-stream: runs of a few consecutive events, so the store gets
# to see a session, its messages, their parts and the deltas to them,
# and each event that is not a delta on its own.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 FIXTURES_DIR OUT_DIR" >&2
  exit 2
fi
fixtures=$1
out=$2

rm -rf "$out"
mkdir -p "$out"

for stream in "$fixtures"/*/events.sse; do
  name=$(basename "$(dirname "$stream")")
  # RS="": one record per blank-line-separated event
  awk -v out="$out" -v name="$name" -v window=12 '
    BEGIN { RS = ""; n = 0; run = ""; runs = 0 }
    {
      n++
      run = run $0 "\n\n"
      if (n % window == 0) {
        file = sprintf("%s/%s-run-%04d.sse", out, name, ++runs)
        printf "%s", run > file
        close(file)
        run = ""
      }
      if ($0 !~ /"type":"message\.part\.delta"/) {
        file = sprintf("%s/%s-event-%05d.sse", out, name, n)
        printf "%s\n\n", $0 > file
        close(file)
      }
    }
    END {
      if (run != "") {
        file = sprintf("%s/%s-run-%04d.sse", out, name, ++runs)
        printf "%s", run > file
        close(file)
      }
    }
  ' "$stream"
done
