package redact

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/per"
	"github.com/nrladder/nrladder/internal/parse/rrc"
)

// maskRRC masks an NR RRC PDU of channel ch (TS 38.331): it decodes it,
// masks the identities in the value (maskRRCValue), encodes it again
// (UPER, with the octets of padding the PDU had, as zeros) and decodes the
// result for its JER and tree. Nothing changes when there is nothing to
// mask.
func maskRRC(ch rrc.Channel, pdu []byte, opts Options) masked {
	v, err := rrc.Decode(ch, pdu)
	if err != nil {
		if ch == rrc.BCCHBCH || ch == rrc.BCCHDLSCH {
			return masked{} // broadcast: no UE identity to find
		}
		return withhold("pdu, asn1 and tree", err)
	}
	before := v.Tree()
	if !maskRRCValue(v, opts, false) {
		return masked{}
	}
	dropped := dropUnwritable(v)
	enc, v2, err := encodeRRC(ch, v)
	if err != nil {
		return masked{changed: true, asn1: v.AppendJER(nil), tree: noteDropped(displayLines(v.Tree(), before), dropped), part: "pdu", err: err}
	}
	return masked{changed: true, pdu: enc, asn1: v2.AppendJER(nil), tree: noteDropped(displayLines(v2.Tree(), before), dropped)}
}

// dropUnwritable removes from a value what its encoding cannot carry
// again, and counts it: the extension additions of a SEQUENCE that the
// schema does not know (the decoder skipped them) or that reach a type it
// does not model (kept as octets). They could not be searched for
// identities either.
func dropUnwritable(v *per.Value) int {
	n := 0
	if v.Kind == per.Sequence {
		n += v.Skipped
		v.Skipped, v.SkippedBits = 0, 0
		kept := v.Fields[:0]
		for _, f := range v.Fields {
			if f.Kind == per.Open && f.Extension {
				n++
				continue
			}
			kept = append(kept, f)
		}
		v.Fields = kept
	}
	if v.Contained != nil {
		n += dropUnwritable(v.Contained)
	}
	for i := range v.Fields {
		n += dropUnwritable(&v.Fields[i])
	}
	return n
}

// noteDropped says on the top line of a masked tree how many extension
// additions dropUnwritable removed.
func noteDropped(tree []parse.Line, n int) []parse.Line {
	if n > 0 && len(tree) > 0 {
		s := "extension additions"
		if n == 1 {
			s = "extension addition"
		}
		tree[0].Note = joinNote(tree[0].Note, fmt.Sprintf("redacted: %d %s nrladder does not model dropped", n, s))
	}
	return tree
}

// encodeRRC encodes a masked RRC value and checks that the result decodes.
func encodeRRC(ch rrc.Channel, v *per.Value) ([]byte, *per.Value, error) {
	s, err := rrc.Schema()
	if err != nil {
		return nil, nil, err
	}
	enc, err := s.Encode(ch.MessageType(), v, per.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the masked pdu: %w", err)
	}
	enc = append(enc, make([]byte, v.Trailing)...)
	v2, err := rrc.Decode(ch, enc)
	if err != nil {
		return nil, nil, fmt.Errorf("the masked pdu does not decode: %w", err)
	}
	return enc, v2, nil
}

// maskRRCBytes masks an RRC PDU carried in another protocol (an F1AP RRC
// container); it returns pdu itself when there is nothing to mask or the
// PDU cannot be read (ciphered, most likely).
func maskRRCBytes(ch rrc.Channel, pdu []byte, opts Options) []byte {
	r := maskRRC(ch, pdu, opts)
	if !r.changed || r.pdu == nil {
		return pdu
	}
	return r.pdu
}

// maskRRCValue masks, in place, the identities of an RRC value and of the
// values contained in it, and reports whether anything changed:
//
//	ng-5G-S-TMSI (NG-5G-S-TMSI, 48 bits)   its 5G-TMSI, the rightmost 32 bits
//	ng-5G-S-TMSI-Part1 (39 bits)           likewise; the AMF set ID and
//	                                       pointer bits stay
//	ng-5G-S-TMSI-Part2 (9 bits)            nothing: it is the AMF set ID
//	I-RNTI-Value, ShortI-RNTI-Value        all bits (fullI-RNTI, shortI-RNTI,
//	                                       resumeIdentity)
//	RNTI-Value (with Options.RNTI)         0 (c-RNTI …)
//	dedicatedNAS-Message(-List)            its NAS PDU masked (maskNAS)
//
// Masked bits and octets keep their length, so the encoding keeps its
// layout. Containers the schema does not model (CellGroupConfig, UE
// capabilities) are left as they are. nasItem says v is an element of a
// dedicatedNAS-MessageList.
func maskRRCValue(v *per.Value, opts Options, nasItem bool) bool {
	changed := false
	switch v.Kind {
	case per.BitString:
		if from, to := rrcIdentityBits(v); from < to {
			changed = zeroBits(v, from, to)
		}
	case per.Integer:
		if opts.RNTI && v.Type == "RNTI-Value" && v.Int != 0 {
			v.Int = 0
			changed = true
		}
	case per.OctetString:
		if nasItem || v.Name == "dedicatedNAS-Message" || v.Type == "DedicatedNAS-Message" {
			if out, ok := maskNAS(v.Octets); ok {
				v.Octets = out
				changed = true
			}
		}
		if v.Contained != nil && maskRRCValue(v.Contained, opts, false) {
			changed = true
		}
	}
	list := v.Kind == per.SequenceOf && v.Name == "dedicatedNAS-MessageList"
	for i := range v.Fields {
		if maskRRCValue(&v.Fields[i], opts, list) {
			changed = true
		}
	}
	return changed
}

// rrcIdentityBits returns the bits of a BIT STRING to mask, [from, to);
// from == to when none.
func rrcIdentityBits(v *per.Value) (from, to int) {
	switch {
	case v.Type == "I-RNTI-Value" || v.Type == "ShortI-RNTI-Value" || strings.Contains(v.Name, "I-RNTI"):
		return 0, v.Len
	case v.Type == "NG-5G-S-TMSI" || strings.HasPrefix(v.Name, "ng-5G-S-TMSI"):
		// 5G-S-TMSI: AMF set ID (10 bits), AMF pointer (6), 5G-TMSI (32)
		// (TS 23.003 §2.11); Part1 is its rightmost 39 bits.
		if v.Len >= 32 {
			return v.Len - 32, v.Len
		}
	}
	return 0, 0
}

// zeroBits clears bits [from, to) of a BIT STRING value (in a copy of its
// octets) and reports whether any was set.
func zeroBits(v *per.Value, from, to int) bool {
	to = min(to, v.Len, 8*len(v.Bits))
	b := bytes.Clone(v.Bits)
	changed := false
	for i := from; i < to; i++ {
		mask := byte(0x80) >> (i & 7)
		if b[i/8]&mask != 0 {
			b[i/8] &^= mask
			changed = true
		}
	}
	v.Bits = b
	return changed
}
