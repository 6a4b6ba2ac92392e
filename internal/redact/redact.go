// Package redact masks subscriber identities in what nrladder shows and
// exports, so that a capture's ladder can be attached to a bug ticket:
// the SUCI's MSIN (and any SUPI digits), the 5G-TMSI of a 5G-GUTI or
// 5G-S-TMSI, the I-RNTI that names a suspended UE context, the IMEI,
// IMEISV and other PEIs, and with Options.RNTI the C-RNTI.
//
// A masked identity keeps its shape: digits and bits become 0 in the bytes
// (so the PDU still decodes, here and in Wireshark) and "•" in the text
// nrladder writes for people. What names the network stays: MCC, MNC,
// routing indicator, protection scheme and key ids, AMF region, set and
// pointer.
//
// Message masks one ladder message: its PDU (RRC, F1AP and NGAP are
// decoded, masked and encoded again), its JER, its decode tree, its NAS
// messages and, given them, the details panel's trees (Detail does those
// alone). UE masks a UE's label and ids, Text any other text that may
// quote an identity (UE notes, warnings, findings). Notice says what was
// masked, for the header of an export.
//
// What is masked where:
//
//	identity                 NAS (TS 24.501)           RRC (TS 38.331)               F1AP / NGAP
//	SUCI, IMSI format        MSIN or ECIES output      in dedicatedNAS-Message       in NAS-PDU / RRC containers
//	SUCI, NAI format         username                  in dedicatedNAS-Message       in NAS-PDU / RRC containers
//	5G-GUTI, 5G-S-TMSI       5G-TMSI                   5G-TMSI bits of ng-5G-S-TMSI  fiveG-TMSI, UEPagingIdentity,
//	                                                   (-Part1)                      PagingIdentity, UEIdentityIndexValue
//	I-RNTI                   -                         fullI-RNTI, shortI-RNTI,      PagingIdentity iRNTI
//	                                                   resumeIdentity
//	IMEI, IMEISV, PEI        all digits / octets       in dedicatedNAS-Message       MaskedIMEISV (all bits)
//	C-RNTI (Options.RNTI)    -                         RNTI-Value fields (c-RNTI)    F1AP C-RNTI
//
// Kept: MCC, MNC, routing indicator, protection scheme and key ids, AMF
// region, set ID and pointer (ng-5G-S-TMSI-Part2 is nothing else), the
// F1AP and NGAP UE ids, ciphered messages, and the containers the schemas
// leave undecoded: UE capabilities, which hold no identity, and
// CellGroupConfig, where the C-RNTI a handover's reconfigurationWithSync
// assigns stays even with Options.RNTI.
//
// It imports ladder and parse (with its subpackages) and must not import
// store, server or web.
package redact

import (
	"errors"
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// Options say what is masked beyond the subscriber and device identities,
// which always are.
type Options struct {
	// RNTI also masks the C-RNTI: in UE labels and ids ("C-RNTI 0x4601"),
	// in RRC fields of type RNTI-Value (the c-RNTI of an
	// RRCReestablishmentRequest), in F1AP's C-RNTI IE and in text that
	// quotes a MAC RNTI ("ue 0x4601").
	RNTI bool
}

// Mask is what stands for each masked character in text.
const Mask = "•"

// ErrWithheld is wrapped by the error Message returns when part of a
// message was dropped rather than masked: bytes that could not be decoded
// cannot be searched for identities.
var ErrWithheld = errors.New("withheld")

// Error says what Message withheld from a message, and why. The message
// returned with it is still safe to show; it only lacks that part.
type Error struct {
	Frame   int    // the message's frame
	Message string // its name: "RRCSetupComplete", "InitialUEMessage"
	Part    string // what is withheld: "pdu", "pdu, asn1 and tree"
	Err     error  // why: the decoding or encoding failure
}

func (e *Error) Error() string {
	return "redact: frame " + strconv.Itoa(e.Frame) + ": " + e.Message + ": " + e.Part + " withheld: " + e.Err.Error()
}

// Unwrap returns ErrWithheld and the cause.
func (e *Error) Unwrap() []error { return []error{ErrWithheld, e.Err} }

// masked is what masking one PDU gives: the new bytes, and the JER and
// tree decoded from them. pdu is nil when the PDU must be withheld; asn1
// and tree are nil too when nothing masked could be shown.
type masked struct {
	changed bool
	pdu     []byte
	asn1    []byte
	tree    []parse.Line
	err     error  // why something is withheld
	part    string // what is withheld
}

// Message returns a copy of m with the identities it carries masked: in
// its PDU, its JER (ASN1), its decode tree (Lines), its NAS messages (their
// PDU, decode tree and decoded value; the Summary, which names the
// message only, stays) and its Error and DecodeError texts. When d is not
// nil, *d is replaced by the message's details trees with the same
// masking.
//
// The PDU is decoded afresh, so m may come from the store without its
// trees. An NR RRC PDU is masked in its decoded value and encoded again
// (UPER): it decodes, in nrladder and in Wireshark, to the same tree with
// the masked values zero. F1AP and NGAP PDUs (ALIGNED PER) are masked in
// the IEs that carry identities (NAS-PDU, RRC containers, FiveG-S-TMSI,
// paging identities, MaskedIMEISV, C-RNTI) and encoded again. A PDU with
// nothing to mask is left as it was, byte for byte. A ciphered RRC PDU is
// left as it is: it shows no identity.
//
// A PDU that cannot be decoded cannot be searched, so it is withheld
// (dropped, with its JER and tree) and the error, an *Error wrapping
// ErrWithheld, says so; the message returned with it is still safe to
// show. Broadcast RRC (BCCH) is the exception: it carries no UE identity
// and is kept.
func Message(m ladder.Message, d *ladder.Detail, opts Options) (ladder.Message, error) {
	out := m
	out.Error = Text(m.Error, opts)
	out.DecodeError = Text(m.DecodeError, opts)
	out.Cause = Text(m.Cause, opts)
	out.NAS = nasEntries(m.NAS, opts)

	var r masked
	switch {
	case len(m.PDU) == 0 || m.Ciphered:
	case m.Protocol == "NR-RRC":
		ch, ok := rrc.ChannelFromName(m.Channel)
		if !ok {
			r = withhold("pdu, asn1 and tree", errors.New("unknown channel "+strconv.Quote(m.Channel)))
			break
		}
		r = maskRRC(ch, m.PDU, opts)
	case m.Protocol == "F1AP":
		r = maskF1AP(m.PDU, m.Direction == "UL", opts)
	case m.Protocol == "NGAP":
		r = maskNGAP(m.PDU, opts)
	default:
		r = withhold("pdu, asn1 and tree", errors.New("unknown protocol "+strconv.Quote(m.Protocol)))
	}

	var dd ladder.Detail
	if d != nil {
		dd = ladder.Detail{RRC: d.RRC}
		if d.NAS != nil {
			dd.NAS = make([][]parse.Line, len(d.NAS))
			for i, ls := range d.NAS {
				dd.NAS[i] = nasLines(ls)
			}
		}
	}
	if r.changed {
		out.PDU = r.pdu
		if m.ASN1 != nil {
			out.ASN1 = r.asn1
		}
		if m.Lines != nil {
			out.Lines = r.tree
		}
		if d != nil && d.RRC != nil {
			dd.RRC = r.tree
		}
	}
	if d != nil {
		*d = dd
	}
	if r.err != nil {
		return out, &Error{Frame: m.Frame, Message: m.Message, Part: r.part, Err: r.err}
	}
	return out, nil
}

// Detail returns the details trees d of message m (as the store keeps
// them apart from it) with the identities masked, as Message masks them:
// the RRC, F1AP or NGAP tree decoded from the masked PDU, the NAS trees
// masked line by line. The error is Message's.
func Detail(m ladder.Message, d ladder.Detail, opts Options) (ladder.Detail, error) {
	_, err := Message(m, &d, opts)
	return d, err
}

// withhold is the result for a PDU that is dropped with what was decoded
// from it.
func withhold(part string, err error) masked {
	return masked{changed: true, part: part, err: err}
}

// nasEntries masks the NAS messages of a message: their PDUs, trees and
// decoded values.
func nasEntries(in []parse.NAS, opts Options) []parse.NAS {
	if in == nil {
		return nil
	}
	out := make([]parse.NAS, len(in))
	for i, n := range in {
		n.Error = Text(n.Error, opts)
		n.Lines = nasLines(n.Lines)
		if n.PDU != nil {
			if pdu, changed := maskNAS(n.PDU); changed {
				n.PDU = pdu
				if n.Decoded != nil || len(n.Identities) > 0 {
					dec := redecodeNAS(pdu, n.Ciphered)
					if n.Decoded != nil {
						n.Decoded = dec
					}
					n.Identities, n.Capability = nil, nil
					if dec != nil {
						n.Identities, n.Capability = parse.NASFacts(dec)
					}
				}
			}
		} else {
			// Without its PDU the decoded value cannot be masked by
			// decoding it again; nothing should hold one without the
			// other.
			n.Decoded, n.Identities = nil, nil
		}
		out[i] = n
	}
	return out
}

// UE returns a copy of u with the identities in its label, ids and note
// masked; with Options.RNTI its RNTI is dropped too.
func UE(u ladder.UE, opts Options) ladder.UE {
	u.Label = Text(u.Label, opts)
	u.Note = Text(u.Note, opts)
	if u.IDs != nil {
		ids := make([]string, len(u.IDs))
		for i, id := range u.IDs {
			ids[i] = Text(id, opts)
		}
		u.IDs = ids
	}
	if opts.RNTI {
		u.RNTI = nil
	}
	return u
}

// Notice says, for the header of an export, what was masked:
// "subscriber identities masked: …".
func Notice(opts Options) string {
	s := "subscriber identities masked: SUCI/SUPI (MSIN, NAI username, scheme output), 5G-TMSI (of 5G-GUTI and 5G-S-TMSI), I-RNTI, IMEI/IMEISV/PEI"
	if opts.RNTI {
		return s + ", C-RNTI"
	}
	return s + "; C-RNTIs kept"
}

// displayLines turns a decoder's tree into the lines the details panel
// shows, as package parse does for the trees it keeps: an identity's value
// also in hex, the octets of a container left undecoded on a line of its
// own below it. before is the tree of the PDU before masking: a line whose
// value changed says it was masked.
func displayLines(tree, before []per.Line) []parse.Line {
	out := make([]parse.Line, 0, len(tree))
	same := len(before) == len(tree)
	for i, l := range tree {
		line := parse.Line{Depth: l.Depth, Name: l.Name, Value: l.Value, Note: l.Note}
		changed := same && before[i].Name == l.Name && (before[i].Value != l.Value || before[i].Hex != l.Hex)
		if l.Hex == "" {
			if changed {
				line.Note = joinNote(line.Note, "masked")
			}
			out = append(out, line)
			continue
		}
		switch l.Kind {
		case "INTEGER", "BIT STRING":
			if !strings.Contains(line.Value, l.Hex) {
				line.Value += " (" + l.Hex + ")"
			}
			if changed {
				line.Note = joinNote(line.Note, "masked")
			}
			out = append(out, line)
		default:
			// A container left undecoded: its octets are what changed.
			octets := parse.Line{Depth: l.Depth + 1, Name: "octets", Value: l.Hex}
			if changed {
				octets.Note = "masked"
			}
			out = append(out, line, octets)
		}
	}
	return out
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
