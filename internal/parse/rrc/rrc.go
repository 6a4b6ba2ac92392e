// Package rrc identifies an NR RRC message (TS 38.331) from its UPER bytes
// and the logical channel it was carried on: which alternative of the
// channel's message-type CHOICE it is, under which ASN.1 type name, and its
// rrc-TransactionIdentifier when the message has one.
//
// It reads only the choice bits and the transaction identifier, never the
// message body, so a message whose body is truncated or of a later release
// is still named. The tables are those of Rel-17 (v17.x), spares and
// messageClassExtension included; Classify does not allocate.
//
// It imports only uper from the project.
package rrc

import (
	"errors"
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/uper"
)

// Message names one NR RRC PDU.
type Message struct {
	Channel Channel
	// Name is the ASN.1 type name: "SecurityModeFailure", "SIB1",
	// "UEInformationResponse-r16". A spare alternative is named by its
	// identifier ("spare3"), an empty messageClassExtension
	// "messageClassExtension", UL-DCCH's empty extension
	// "messageClassExtensionFuture-r16".
	Name string
	// Alt is the alternative identifier as the ASN.1 (and tshark) spells
	// it: "securityModeFailure", "systemInformationBlockType1", "mib".
	Alt string
	// Path is the chain of alternatives below message:
	// "c1.securityModeFailure", "messageClassExtension.c2.ueInformationResponse-r16", "mib".
	Path string
	// TxID is the rrc-TransactionIdentifier (0..3), or -1 when the message
	// type has none.
	TxID int
	// Spare is set for a spare alternative (a message of a later release).
	Spare bool
	// Bits is the number of bits read: choice bits and transaction id.
	Bits int
}

// Uplink reports whether the message goes from UE to network.
func (m Message) Uplink() bool { return m.Channel.Uplink() }

// String returns "UL-DCCH c1.securityModeFailure txid=2" (txid omitted
// when the type has none).
func (m Message) String() string {
	s := m.Channel.String() + " " + m.Path
	if m.TxID >= 0 {
		s += " txid=" + strconv.Itoa(m.TxID)
	}
	return s
}

// Sentinel errors, reported wrapped in *Error. A truncated PDU wraps
// uper.ErrTruncated.
var (
	ErrEmpty          = errors.New("empty pdu")
	ErrUnknownChannel = errors.New("unknown channel")
)

// Error is a failure to identify a PDU on a channel.
type Error struct {
	Channel Channel
	Field   string // the component being read, e.g. "SecurityModeComplete.rrc-TransactionIdentifier"; may be empty
	Bit     int    // bit offset of that component
	Err     error  // ErrEmpty, ErrUnknownChannel or a *uper.Error
}

func (e *Error) Error() string {
	if errors.Is(e.Err, ErrUnknownChannel) {
		return "rrc: unknown channel " + strconv.Itoa(int(e.Channel))
	}
	s := "rrc: " + e.Channel.String() + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	var ue *uper.Error
	if errors.As(e.Err, &ue) {
		// The uper error already says "bit N: ...".
		return s + strings.TrimPrefix(ue.Error(), "uper: ")
	}
	return s + "bit " + strconv.Itoa(e.Bit) + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Classify names the NR RRC message pdu, encoded as ch's *-Message. It
// reads the choice bits and, when the message type has one, the 2-bit
// rrc-TransactionIdentifier that starts its SEQUENCE; the rest of the body
// is not looked at. It fails for an unknown channel, an empty PDU, and a
// PDU too short for those bits.
func Classify(ch Channel, pdu []byte) (Message, error) {
	if ch >= numChannels || tables[ch] == nil {
		return Message{}, &Error{Channel: ch, Err: ErrUnknownChannel}
	}
	if len(pdu) == 0 {
		return Message{}, &Error{Channel: ch, Err: ErrEmpty}
	}
	t := tables[ch]
	var r uper.Reader
	r.Reset(pdu)

	var a *alt
	switch {
	case !r.Bool():
		a = &t.c1[r.Bits(t.c1Bits)]
	case t.c2 == nil:
		a = &t.ext
	case !r.Bool():
		a = &t.c2[r.Bits(4)]
	default:
		a = &t.future
	}
	if err := r.Err(); err != nil {
		return Message{}, &Error{Channel: ch, Field: "message", Bit: r.Offset(), Err: err}
	}
	m := Message{Channel: ch, Name: a.name, Alt: a.id, Path: a.path, TxID: -1, Spare: a.spare}
	if a.txid {
		start := r.Offset()
		m.TxID = int(r.Bits(2))
		if err := r.Err(); err != nil {
			return Message{}, &Error{Channel: ch, Field: a.name + ".rrc-TransactionIdentifier", Bit: start, Err: err}
		}
	}
	m.Bits = r.Offset()
	return m, nil
}
