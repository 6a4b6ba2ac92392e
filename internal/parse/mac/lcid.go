package mac

import "github.com/nrladder/nrladder/internal/parse/rrc"

// The LCID and eLCID tables of TS 38.321 v17 §6.2.1 (Tables 6.2.1-1,
// -1b, -2, -2b). Each entry says how the subPDU is laid out, because a
// MAC PDU has no other way to say where a subPDU ends: a MAC SDU or a
// variable-size CE has an L field, a fixed-size CE or an UL CCCH SDU has
// none and a size that must be known here. One wrong size and every
// subPDU after it is misread, so a codepoint whose size is not known
// (reserved, or a Rel-17/18 CE this package has no certain size for) stops
// the parse with ErrUnknownSize rather than guessing.
//
// To add a MAC CE: 1. find its codepoint in the table for its direction
// (LCID 34 + eLCID for the one-octet extension); 2. read in its §6.1.3
// clause whether it "has a fixed size" (and how many octets) or "a
// variable size"; 3. add the entry below; 4. add a case to the table test
// in subpdu_test.go, built by mactest.

type format uint8

const (
	fUnknown  format = iota // reserved or size unknown: stop
	fSDU                    // MAC SDU with an L field
	fVariable               // variable-size MAC CE with an L field
	fFixed                  // fixed-size MAC CE, or UL CCCH SDU: no L field
	fPadding                // padding to the end of the PDU
	fELCID1                 // one-octet eLCID follows; look it up
	fELCID2                 // two-octet eLCID follows: a MAC SDU (logical channel 320+eLCID) with L
)

type entry struct {
	name   string
	format format
	size   int         // fFixed: octets after the subheader
	ch     rrc.Channel // SDUs that are RRC PDUs as is (CCCH)
}

func sdu(name string) entry          { return entry{name: name, format: fSDU} }
func fixed(name string, n int) entry { return entry{name: name, format: fFixed, size: n} }
func variable(name string) entry     { return entry{name: name, format: fVariable} }
func unknownSize(name string) entry  { return entry{name: name, format: fUnknown} }
func ccch(n int, ch rrc.Channel, name string) entry {
	return entry{name: name, format: fFixed, size: n, ch: ch}
}

// Table 6.2.1-2: UL-SCH.
var ulLCID = func() (t [64]entry) {
	t[0] = ccch(8, rrc.ULCCCH1, "CCCH1 (64 bits)")
	for i := 1; i <= 32; i++ {
		t[i] = sdu(channelName(i))
	}
	t[33] = entry{name: "two-octet eLCID", format: fELCID2}
	t[34] = entry{name: "one-octet eLCID", format: fELCID1}
	t[35] = ccch(6, rrc.ULCCCH, "CCCH (48 bits, RedCap)")
	t[36] = ccch(8, rrc.ULCCCH1, "CCCH1 (64 bits, RedCap)")
	for i := 37; i <= 42; i++ {
		t[i] = unknownSize("reserved")
	}
	t[43] = variable("Truncated Enhanced BFR (one octet Ci)")
	t[44] = fixed("Timing Advance Report", 2)
	t[45] = variable("Truncated Sidelink BSR")
	t[46] = variable("Sidelink BSR")
	t[47] = unknownSize("reserved")
	t[48] = fixed("LBT failure (four octets)", 4)
	t[49] = fixed("LBT failure (one octet)", 1)
	t[50] = variable("BFR (one octet Ci)")
	t[51] = variable("Truncated BFR (one octet Ci)")
	t[52] = ccch(6, rrc.ULCCCH, "CCCH (48 bits)")
	t[53] = fixed("Recommended bit rate query", 2)
	t[54] = variable("Multiple Entry PHR (four octets Ci)")
	t[55] = fixed("Configured Grant Confirmation", 0)
	t[56] = variable("Multiple Entry PHR (one octet Ci)")
	t[57] = fixed("Single Entry PHR", 2)
	t[58] = fixed("C-RNTI", 2)
	t[59] = fixed("Short Truncated BSR", 1)
	t[60] = variable("Long Truncated BSR")
	t[61] = fixed("Short BSR", 1)
	t[62] = variable("Long BSR")
	t[63] = entry{name: "Padding", format: fPadding}
	return t
}()

// Table 6.2.1-1: DL-SCH.
var dlLCID = func() (t [64]entry) {
	t[0] = entry{name: "CCCH", format: fSDU, ch: rrc.DLCCCH}
	for i := 1; i <= 32; i++ {
		t[i] = sdu(channelName(i))
	}
	t[33] = entry{name: "two-octet eLCID", format: fELCID2}
	t[34] = entry{name: "one-octet eLCID", format: fELCID1}
	for i := 35; i <= 46; i++ {
		t[i] = unknownSize("reserved")
	}
	t[47] = fixed("Recommended bit rate", 2)
	t[48] = fixed("SP ZP CSI-RS Resource Set Activation/Deactivation", 2)
	t[49] = fixed("PUCCH spatial relation Activation/Deactivation", 3)
	t[50] = variable("SP SRS Activation/Deactivation")
	t[51] = fixed("SP CSI reporting on PUCCH Activation/Deactivation", 2)
	t[52] = fixed("TCI State Indication for UE-specific PDCCH", 2)
	t[53] = variable("TCI States Activation/Deactivation for UE-specific PDSCH")
	t[54] = variable("Aperiodic CSI Trigger State Subselection")
	t[55] = variable("SP CSI-RS/CSI-IM Resource Set Activation/Deactivation")
	t[56] = fixed("Duplication Activation/Deactivation", 1)
	t[57] = fixed("SCell Activation/Deactivation (four octets)", 4)
	t[58] = fixed("SCell Activation/Deactivation (one octet)", 1)
	t[59] = fixed("Long DRX Command", 0)
	t[60] = fixed("DRX Command", 0)
	t[61] = fixed("Timing Advance Command", 1)
	t[62] = fixed("UE Contention Resolution Identity", 6)
	t[63] = entry{name: "Padding", format: fPadding}
	return t
}()

// Table 6.2.1-2b: one-octet eLCID for UL-SCH (codepoints below 229 are
// reserved in Rel-17).
var ulELCID = map[int]entry{
	229: variable("Enhanced Multiple Entry PHR for multiple TRP (four octets Ci)"),
	230: variable("Enhanced Multiple Entry PHR for multiple TRP (one octet Ci)"),
	231: unknownSize("Enhanced Single Entry PHR for multiple TRP"),
	232: variable("Enhanced Multiple Entry PHR (four octets Ci)"),
	233: variable("Enhanced Multiple Entry PHR (one octet Ci)"),
	234: unknownSize("Enhanced Single Entry PHR"),
	235: variable("Enhanced BFR (one octet Ci)"),
	236: variable("Enhanced BFR (four octets Ci)"),
	237: variable("Truncated Enhanced BFR (four octets Ci)"),
	238: unknownSize("Positioning Measurement Gap Activation/Deactivation Request"),
	239: variable("IAB-MT Recommended Beam Indication"),
	240: unknownSize("Desired IAB-MT PSD range"),
	241: unknownSize("Desired DL Tx Power Adjustment"),
	242: unknownSize("Case-6 Timing Request"),
	243: unknownSize("Desired Guard Symbols for Case-6 timing"),
	244: unknownSize("Desired Guard Symbols for Case-7 timing"),
	245: fixed("Extended Short Truncated BSR", 2),
	246: variable("Extended Long Truncated BSR"),
	247: fixed("Extended Short BSR", 2),
	248: variable("Extended Long BSR"),
	249: variable("Extended Pre-emptive BSR"),
	250: variable("BFR (four octets Ci)"),
	251: variable("Truncated BFR (four octets Ci)"),
	252: unknownSize("Multiple Entry Configured Grant Confirmation"),
	253: fixed("Sidelink Configured Grant Confirmation", 1),
	254: unknownSize("Desired Guard Symbols"),
	255: variable("Pre-emptive BSR"),
}

// Table 6.2.1-1b: one-octet eLCID for DL-SCH (codepoints below 227 are
// reserved in Rel-17).
var dlELCID = map[int]entry{
	227: variable("Serving Cell Set based SRS TCI State Indication"),
	228: variable("SP/AP SRS TCI State Indication"),
	229: variable("BFD-RS Indication"),
	230: fixed("Differential Koffset", 1),
	231: variable("Enhanced SCell Activation/Deactivation (one octet Ci)"),
	232: variable("Enhanced SCell Activation/Deactivation (four octets Ci)"),
	233: variable("Unified TCI States Activation/Deactivation"),
	234: unknownSize("PUCCH Power Control Set Update for multiple TRP PUCCH repetition"),
	235: unknownSize("PUCCH spatial relation Activation/Deactivation for multiple TRP PUCCH repetition"),
	236: unknownSize("Enhanced TCI States Indication for UE-specific PDCCH"),
	237: unknownSize("Positioning Measurement Gap Activation/Deactivation Command"),
	238: variable("PPW Activation/Deactivation Command"),
	239: unknownSize("DL Tx Power Adjustment"),
	240: unknownSize("Timing Case Indication"),
	241: unknownSize("Child IAB-DU Restricted Beam Indication"),
	242: unknownSize("Case-7 Timing advance offset"),
	243: unknownSize("Provided Guard Symbols for Case-6 timing"),
	244: unknownSize("Provided Guard Symbols for Case-7 timing"),
	245: variable("Serving Cell Set based SRS Spatial Relation Indication"),
	246: variable("PUSCH Pathloss Reference RS Update"),
	247: unknownSize("SRS Pathloss Reference RS Update"),
	248: variable("Enhanced SP/AP SRS Spatial Relation Indication"),
	249: variable("Enhanced PUCCH Spatial Relation Activation/Deactivation"),
	250: variable("Enhanced TCI States Activation/Deactivation for UE-specific PDSCH"),
	251: fixed("Duplication RLC Activation/Deactivation", 1),
	252: fixed("Absolute Timing Advance Command", 2),
	253: variable("SP Positioning SRS Activation/Deactivation"),
	254: unknownSize("Provided Guard Symbols"),
	255: fixed("Timing Delta", 2),
}

func channelName(lcid int) string {
	switch lcid {
	case 1:
		return "SRB1"
	case 2:
		return "SRB2"
	case 3:
		return "SRB3"
	}
	return "LCID " + itoa(lcid)
}
