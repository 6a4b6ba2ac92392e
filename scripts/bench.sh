#!/usr/bin/env bash
# Prints nrladder's end-to-end parse throughput and peak memory next to
# tshark's on three large captures, then the Go benchmarks of each stage:
#   exported-pdu  NR RRC PDUs exported by Wireshark (link type 252), generated
#                 by internal/tracetest;
#   f1ap          Ethernet/IPv4/SCTP F1AP + NGAP: the MobiWatch Pixel 5 capture
#                 repeated with shifted F1AP/NGAP UE ids and SCTP TSNs;
#   mac-nr        srsRAN MAC-NR (DLT 149): the moto edge 30 pro capture repeated
#                 with shifted C-RNTIs (both by internal/benchcapture).
#
#   scripts/bench.sh [messages]   (default 100000: NR RRC frames per capture as
#                                  tshark counts them; about 4 minutes on 2 cores)
#
# nrladder: BenchmarkTraceFile (internal/parse) on each file, best of 3, and one
# whole parse (benchcapture parse) for its peak resident memory. tshark:
# `tshark -r FILE -Y nr-rrc -T fields -e frame.number`, best of 3 wall times,
# peak memory from /usr/bin/time. The real captures come from ../shared/traces
# (or $NRLADDER_SHARED/traces); without them those rows are SKIPPED.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-100000}
case $target in '' | *[!0-9]*) echo "usage: scripts/bench.sh [messages]" >&2; exit 2 ;; esac
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
shared=${NRLADDER_SHARED:-../shared}
mac_opts=(-o 'uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""' --enable-heuristic mac_nr_udp)
have_tshark=$(command -v tshark >/dev/null && echo 1 || echo "")
timer=$([ -x /usr/bin/time ] && echo /usr/bin/time || echo "")
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }

echo "== $(nproc) cores, load average $(load) at the start (timings on a busy machine are noisy)"
go build -o "$out/benchcapture" ./internal/benchcapture
: > "$out/rows.tsv"

# best_tshark FILE [options]: sets t_ns (best of 3 wall times), t_cpu (user +
# system seconds of that run), t_rss (largest peak memory, KiB), t_msgs.
best_tshark() {
  local file=$1 s e t rss cpu
  shift
  t_ns="" t_rss=0 t_cpu=-1
  for _ in 1 2 3; do
    s=$(date +%s%N)
    if [ -n "$timer" ]; then
      $timer -o "$out/time.txt" -f '%M %U %S' tshark -r "$file" "$@" -Y nr-rrc -T fields -e frame.number > "$out/tshark.txt" 2>/dev/null
      read -r rss cpu < <(tail -n 1 "$out/time.txt" | awk '{print $1, $2 + $3}')
      if [ "$rss" -gt "$t_rss" ]; then t_rss=$rss; fi
    else
      tshark -r "$file" "$@" -Y nr-rrc -T fields -e frame.number > "$out/tshark.txt" 2>/dev/null
      cpu=-1
    fi
    e=$(date +%s%N)
    t=$((e - s))
    if [ -z "$t_ns" ] || [ "$t" -lt "$t_ns" ]; then t_ns=$t t_cpu=$cpu; fi
  done
  t_msgs=$(wc -l < "$out/tshark.txt")
}

# tshark_frames FILE [options]: NR RRC frames as tshark counts them.
tshark_frames() {
  local file=$1
  shift
  tshark -r "$file" "$@" -Y nr-rrc -T fields -e frame.number 2>/dev/null | wc -l
}

# kv KEY: the value of KEY in the key=value line in $out/parse.txt.
kv() { tr ' ' '\n' < "$out/parse.txt" | sed -n "s/^$1=//p"; }

# bench NAME FILE [tshark options]: measures both tools and adds a row.
bench() {
  local name=$1 file=$2 bytes ns msgs allocs bop
  shift 2
  bytes=$(stat -c %s "$file")
  echo
  echo "== $name: $file, $bytes bytes"
  NRLADDER_BENCH_FILE=$file go test ./internal/parse -run '^$' -bench '^BenchmarkTraceFile$' -benchtime 1x -count 3 > "$out/ours.txt"
  grep Benchmark "$out/ours.txt"
  # Best of the 3 runs: the smallest ns/op, with its allocations.
  read -r ns msgs allocs bop < <(awk '/^BenchmarkTraceFile/ {
      for (i = 1; i < NF; i++) { if ($(i+1) == "ns/op") t = $i; if ($(i+1) == "msgs") m = $i; if ($(i+1) == "allocs/op") a = $i; if ($(i+1) == "B/op") b = $i }
      if (best == "" || t + 0 < best + 0) { best = t; bm = m; ba = a; bb = b }
    } END { print best, bm, ba, bb }' "$out/ours.txt")
  if [ -n "$timer" ]; then
    $timer -o "$out/time.txt" -f '%U %S' "$out/benchcapture" parse "$file" > "$out/parse.txt"
    cpu=$(awk '{print $1 + $2}' "$out/time.txt")
  else
    "$out/benchcapture" parse "$file" > "$out/parse.txt"
    cpu=-1
  fi
  echo "nrladder whole parse: $(cat "$out/parse.txt")"
  printf '%s\tnrladder\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$bytes" "$msgs" "$(kv rrc_frames)" "$ns" "$cpu" "$(kv maxrss_kib)" "$allocs" "$bop" >> "$out/rows.tsv"
  if [ -n "$have_tshark" ]; then
    best_tshark "$file" "$@"
    echo "tshark: $t_msgs NR RRC frames, best of 3: $((t_ns / 1000000)) ms"
    printf '%s\ttshark\t%s\t%s\t%s\t%s\t%s\t%s\t-\t-\n' "$name" "$bytes" "$t_msgs" "$t_msgs" "$t_ns" "$t_cpu" "$t_rss" >> "$out/rows.tsv"
  fi
}

# Exported NR RRC PDUs: 9.2 messages per connection.
conns=$(((target * 10 + 91) / 92))
go test ./internal/tracetest -run TestWrite -count=1 -args -write="$out/exported-pdu.pcap" -connections="$conns" >/dev/null
echo "== exported-pdu: $conns connections (about 9.2 NR RRC messages each) written by internal/tracetest"
bench exported-pdu "$out/exported-pdu.pcap"

# repeat NAME TRACE [tshark options]: writes $out/NAME.pcap, enough copies of
# the shared capture TRACE for $target NR RRC frames, benchmarks it, and
# checks that tshark counts the copies' frames exactly.
repeat() {
  local name=$1 trace=$shared/traces/$2 base n
  shift 2
  if [ -n "$have_tshark" ]; then
    base=$(tshark_frames "$trace" "$@")
  else
    "$out/benchcapture" parse "$trace" > "$out/parse.txt"
    base=$(kv rrc_frames)
  fi
  n=$(((target + base - 1) / base))
  echo
  "$out/benchcapture" repeat -n "$n" -o "$out/$name.pcap" "$trace"
  bench "$name" "$out/$name.pcap" "$@"
  if [ -n "$have_tshark" ]; then
    if [ "$t_msgs" -eq $((n * base)) ]; then
      echo "check: tshark counts $t_msgs NR RRC frames = $n copies × $base in the capture"
    else
      echo "CHECK FAILED: tshark counts $t_msgs NR RRC frames, want $n copies × $base = $((n * base))"
    fi
  fi
}

if [ -d "$shared/traces" ]; then
  repeat f1ap 5GSEC__MobiWatch__F1AP_NGAP_Pixel5_00101_1.pcap
  repeat mac-nr srsran__srsRAN_Project_docs__moto_edge_30_pro.pcap "${mac_opts[@]}"
else
  echo
  echo "SKIPPED: f1ap and mac-nr captures: $shared/traces not found (set NRLADDER_SHARED to the shared directory)"
fi
[ -n "$have_tshark" ] || echo "tshark not installed: no reference timing (apt-get install tshark)"

echo
echo "== results ($(nproc) cores, load average $(load) at the end)"
awk -F'\t' '
  function mb(kib) { return kib > 0 ? sprintf("%.0f", kib / 1024) : "-" }
  {
    mbytes = $3 / 1e6; s = $6 / 1e9
    if (!header++) {
      printf "%-13s %-9s %7s %9s %10s %12s %8s %9s %7s %9s %10s\n", "capture", "tool", "MB", "messages", "RRC frames", "messages/s", "MB/s", "wall ms", "cpu s", "maxRSS MB", "allocs/op"
    }
    printf "%-13s %-9s %7.1f %9d %10d %12.0f %8.1f %9.0f %7s %9s %10s\n", ($1 == last ? "" : $1), $2, mbytes, $4, $5, $4 / s, mbytes / s, $6 / 1e6, ($7 < 0 ? "-" : sprintf("%.1f", $7)), mb($8), $9
    if ($2 == "nrladder") { ours = $6; ourcpu = $7 }
    if ($2 == "tshark" && ours > 0) {
      printf "%-13s tshark time / nrladder time: %.1fx", "", $6 / ours
      if ($7 > 0 && ourcpu > 0) printf " (cpu time: %.1fx)", $7 / ourcpu
      printf "\n"
    }
    last = $1
  }' "$out/rows.tsv"
cat <<'EOF'
messages: nrladder's events (NR RRC, F1AP and NGAP messages; an RLC retransmission
is folded into its message), tshark's frames matching nr-rrc. RRC frames: frames
holding NR RRC for each tool, comparable. wall ms: best of 3 (nrladder: the
benchmark's parse of the file in memory; tshark: the whole process). cpu s:
user + system time of one whole run (nrladder: benchcapture parse; tshark: its
best run). maxRSS: peak resident memory of those processes.
EOF

echo
echo "== stage benchmarks"
go test ./internal/parse/rrc ./internal/parse/capture ./internal/server -run '^$' -bench 'BenchmarkClassify|BenchmarkReader|BenchmarkTracePage|BenchmarkIngest' -benchtime 2s -count 1 | grep -E '^(Benchmark|ok|pkg)'
