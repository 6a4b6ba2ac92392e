// Package mac reads NR MAC captures down to the RRC messages they carry:
// the "mac-nr" framing Wireshark defines for MAC-NR captures (srsRAN,
// OpenAirInterface --opt), the MAC subPDUs of a DL-SCH or UL-SCH PDU (TS
// 38.321 §6.1.2, §6.2.1, every LCID and one-octet eLCID of Rel-17 with
// its fixed size or L field), and a Stack that feeds the subPDUs through
// RLC reassembly and PDCP to RRC PDUs, with the RLC retransmissions
// counted rather than repeated.
//
// It decides nothing about ciphering: a Stack returns the PDCP payload as
// it is, and the caller, who tracks AS security per UE, says whether it
// can be read.
//
// It imports parse/rrc, parse/rlc and parse/pdcp from the project, and
// nothing else of it.
package mac
