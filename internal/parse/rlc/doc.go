// Package rlc reads NR RLC PDUs (TS 38.322) on the way from MAC to PDCP:
// the headers of TM, UM and AM data PDUs, the reassembly of segmented
// SDUs per UE, bearer and direction, and the recognition of AM
// retransmissions (a PDU repeating an SN already delivered), which it
// reports instead of delivering the SDU twice. It also reads the
// "rlc-nr" UDP framing Wireshark defines for RLC captures.
//
// A Reassembler holds bounded state: a capped number of bearers, of SDUs
// under reassembly per bearer, of delivered SDUs remembered for
// retransmission checks, and of bytes overall. What it has to drop is
// reported as a Warning, never silently.
//
// It imports nothing from the project.
package rlc
