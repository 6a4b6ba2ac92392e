// Package framing takes the packets of a capture down to the payloads the
// protocol decoders want: F1AP, NGAP (and, named only, E1AP, E2AP, XnAP)
// from SCTP DATA chunks; the srsRAN/OAI "mac-nr", "rlc-nr" and "pdcp-nr" UDP
// framings; plain NR RRC and NAS-5GS from GSMTAP version 3 (SCAT), QCSuper's
// NR RRC OTA log packets and UERANSIM's RLS; and Wireshark exported PDUs.
//
// It reads the link types such captures use: Ethernet with 802.1Q/802.1ad
// VLAN tags (1), Linux cooked capture v1 (113) and v2 (276), BSD loopback in
// either byte order (0, and OpenBSD's 108), raw IPv4 (228), raw IPv6 (229),
// raw IP (101), Wireshark upper-PDU export (252) and the user DLTs 147–162,
// which are recognised by their content since they describe nothing. Under
// them it reads IPv4 and IPv6 (extension headers skipped), reassembles IP
// fragments and fragmented SCTP user messages (DATA and I-DATA chunks), and
// classifies UDP payloads by their content first ("mac-nr" on any port) and
// then by port (GSMTAP 4729, QCSuper 47928, RLS 4997).
//
// A Decoder carries the reassembly state from one packet to the next. Its
// memory is bounded (see Options): an incomplete reassembly expires after a
// number of packets without progress, and when a byte or count limit is
// reached the oldest one is dropped; both say so with a Warning. Input is
// untrusted. A malformed packet gives a Warning naming the frame, the layer
// and the byte offset ("framing: frame 12: ipv4: byte 14: header length 4 is
// below 20"), never a panic and never the failure of the whole capture.
// Packets without anything for the ladder (ARP, TCP, DNS, SCTP control
// chunks) are skipped silently; well-formed but unsupported things (GSMTAP
// v2, an exported PDU for an unknown dissector, a link type not listed
// above) are reported once per kind.
//
// The carrier header layouts, and the sources they were taken from, are
// described next to their decoders (gsmtap.go, qcsuper.go, rls.go).
//
// Headers are decoded in place with explicit offsets rather than with
// gopacket's layers, which do not fit untrusted input here: their errors
// carry no offsets, layers.LinuxSLL panics on an address length beyond the
// packet, the SCTP decoder does not walk bundled chunks, and
// layers.LinkType (a uint8) cannot name Linux SLL2 (276). The tests use
// gopacket instead as an independent party: framingtest writes the test
// packets with its layers, and TestGopacketAgrees decodes them with it.
//
// From the project it imports capture and exportpdu only: it knows nothing
// of RRC, F1AP or NGAP beyond recognising their outermost bytes.
package framing
