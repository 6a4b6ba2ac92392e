#!/usr/bin/env bash
# Prints nrladder's parse throughput next to tshark's on the same generated
# capture, plus the Go benchmarks of each stage.
#   scripts/bench.sh [connections]     (default 20000: about 184 000 messages)
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-20000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
file=$out/bench.pcap

go test ./internal/tracetest -run TestWrite -count=1 -args -write="$file" -connections="$conns" >/dev/null
bytes=$(stat -c %s "$file")

echo "== capture: $file, $bytes bytes, $conns connections (exported NR RRC PDUs, link type 252)"
echo
echo "== nrladder: parse (container + exported-PDU tags + RRC classification), go test -bench"
NRLADDER_BENCH_FILE=$file go test ./internal/parse -run '^$' -bench 'BenchmarkTraceFile' -benchtime 5x -count 1 | tee "$out/ours.txt" | grep Benchmark
ns=$(awk '/BenchmarkTraceFile/ {for (i=1;i<=NF;i++) if ($(i+1)=="ns/op") print $i}' "$out/ours.txt")
msgs=$(awk '/BenchmarkTraceFile/ {for (i=1;i<=NF;i++) if ($(i+1)=="msgs") print $i}' "$out/ours.txt")

if command -v tshark >/dev/null; then
  echo
  echo "== tshark -r FILE -Y nr-rrc -T fields -e frame.number (best of 3)"
  best=""
  for i in 1 2 3; do
    s=$(date +%s%N)
    tshark -r "$file" -Y nr-rrc -T fields -e frame.number > "$out/tshark.txt" 2>/dev/null
    e=$(date +%s%N)
    t=$((e - s))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  tmsgs=$(wc -l < "$out/tshark.txt")
  echo
  awk -v ns="$ns" -v tns="$best" -v msgs="$msgs" -v tmsgs="$tmsgs" -v bytes="$bytes" 'BEGIN {
    printf "%-10s %12s %14s %10s %10s\n", "", "messages", "messages/s", "MB/s", "ms"
    printf "%-10s %12d %14.0f %10.1f %10.1f\n", "nrladder", msgs, msgs/(ns/1e9), bytes/(ns/1e9)/1e6, ns/1e6
    printf "%-10s %12d %14.0f %10.1f %10.1f\n", "tshark", tmsgs, tmsgs/(tns/1e9), bytes/(tns/1e9)/1e6, tns/1e6
    printf "nrladder is %.1fx faster than tshark on this file\n", tns/ns
  }'
else
  echo "tshark not installed: no reference timing (apt-get install tshark)"
fi

echo
echo "== stage benchmarks"
go test ./internal/parse/rrc ./internal/parse/capture ./internal/server -run '^$' -bench 'BenchmarkClassify|BenchmarkReader|BenchmarkTracePage|BenchmarkIngest' -benchtime 2s -count 1 | grep -E '^(Benchmark|ok|pkg)'
