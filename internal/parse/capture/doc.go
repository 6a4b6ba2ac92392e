// Package capture reads the packets of an uploaded capture file: classic pcap
// (either byte order, micro- or nanosecond timestamps) or pcapng (several
// sections and interfaces, mixed link types, per-interface timestamp
// resolution), either of them optionally gzip-compressed.
//
// Input is untrusted. Reading streams (memory stays O(one packet)), every
// length is checked before anything is allocated from it, and limits on the
// packet count, packet length and decompressed size are enforced (Options).
// gopacket's pcapgo does the decoding, but only ever sees bytes that a framing
// validator placed in front of it has already checked; that validator is also
// the source of each packet's frame number, time, interface and link type.
//
// Errors are meant for users: lowercase, prefixed "capture: ", and naming the
// packet (Wireshark's frame number) or block where the file went wrong.
// ErrNotCapture, ErrLimit and *TruncatedError can be told apart with
// errors.Is and errors.As.
//
// It is the bottom of the parse stack and must not import anything else from
// the project (no parse, ladder, server or store).
package capture
