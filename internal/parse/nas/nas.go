package nas

import (
	"errors"
	"fmt"
	"strconv"
)

// Extended protocol discriminators (TS 24.007 §11.2.3.1.1A).
const (
	EPD5GMM = 0x7e // 5GS mobility management messages
	EPD5GSM = 0x2e // 5GS session management messages
)

// Security header types (TS 24.501 §9.3.1).
const (
	Plain                         = 0
	IntegrityProtected            = 1
	IntegrityProtectedCiphered    = 2
	IntegrityProtectedNew         = 3 // with new 5G NAS security context
	IntegrityProtectedCipheredNew = 4 // with new 5G NAS security context
)

const (
	securityHeaderLen = 7  // EPD, security header type, MAC, sequence number
	maxDepth          = 4  // nesting of security header, payload and NAS message containers
	hexLimit          = 64 // octets of an undecoded value shown in an IE value
	summaryCiphered   = "ciphered NAS"
	payloadN1SM       = 1
	payloadMultiple   = 15
)

// Options say what Decode may assume about the NAS security context.
type Options struct {
	// CipheringAlgorithm is the 5G NAS ciphering algorithm in force
	// (5G-EA0..7), or -1 when it is not known. Only 0, null ciphering,
	// makes a message of security header type 2 or 4 readable.
	CipheringAlgorithm int
}

// Message is one decoded 5GS NAS message.
//
// For a security protected message whose plain message could be read,
// Type, Name and the structured fields from Identities on repeat those of
// Inner, so that callers need not descend.
type Message struct {
	EPD            byte     // extended protocol discriminator: 0x7e 5GMM, 0x2e 5GSM
	SecurityHeader int      // 0 plain, 1 integrity protected, 2 … and ciphered, 3 integrity protected with new 5G NAS security context, 4 … and ciphered with new context
	MAC            []byte   // message authentication code (4 octets), when security protected
	SequenceNumber int      // when security protected, else -1
	Ciphered       bool     // the inner message is ciphered and cannot be read
	Type           byte     // message type of the (inner) plain message; 0 when unreadable
	Name           string   // TS 24.501 §8 name as tshark spells it: "Registration request"; "" when unreadable or unassigned
	Inner          *Message // the plain message inside a security protected one, when readable
	IEs            []IE     // header fields and information elements, in order

	// 5GSM header (and the PDU session ID IE of NAS transport messages):
	PDUSessionID int // PDU session identity, -1 when absent
	PTI          int // procedure transaction identity (5GSM), -1 when absent

	// Structured values of the IEs the project works with.
	Identities           []Identity          // every 5GS mobile identity in the message, in order
	UESecurityCapability *SecurityCapability // UE security capability, or the replayed one of a Security mode command
	Algorithms           *Algorithms         // selected NAS security algorithms (Security mode command)
	NgKSI                *KeySetID           // ngKSI (NAS key set identifier)
	RegistrationType     int                 // 5GS registration type value (1 initial …), 0 when absent
	FollowOnRequest      bool                // follow-on request pending (Registration request)
	MMCause              int                 // 5GMM cause value, 0 when absent
	SMCause              int                 // 5GSM cause value, 0 when absent
	PayloadContainerType int                 // 1 N1 SM information, 2 SMS, …; 0 when absent
	Payload              *Message            // the 5GSM message in an N1 SM information payload container
	Contained            *Message            // the message in a NAS message container, when readable

	// Notes say what was not decoded and why (an IE that could not be
	// placed, an unknown message type, a malformed value).
	Notes []string
}

// IE is one decoded field or information element, readable for the UI.
type IE struct {
	Name     string `json:"name"`  // TS 24.501 name of the IE in its message: "5GS mobile identity", "ngKSI"
	Value    string `json:"value"` // "initial registration (1), follow-on request pending"
	Children []IE   `json:"children,omitempty"`
}

// Algorithms is the NAS security algorithms IE (TS 24.501 §9.11.3.34).
type Algorithms struct {
	Ciphering int // 5G-EA0..7 (0 null ciphering)
	Integrity int // 5G-IA0..7 (0 null integrity)
}

// KeySetID is a NAS key set identifier (TS 24.501 §9.11.3.32).
type KeySetID struct {
	Mapped bool // type of security context flag: mapped (KSI_ASME) rather than native (KSI_AMF)
	Value  int  // 0..6; 7 means no key is available
}

// SecurityCapability is the UE security capability IE (TS 24.501
// §9.11.3.54). The bitmaps are as on the wire: the most significant bit is
// algorithm 0 (5G-EA0, 5G-IA0, EEA0, EIA0), the least significant bit
// algorithm 7. Use the Supports methods rather than the bits.
type SecurityCapability struct {
	EA, IA   uint8 // 5G-EA0..7, 5G-IA0..7
	EPS      bool  // the EPS octets are present
	EEA, EIA uint8 // EEA0..7, EIA0..7, when EPS
}

// SupportsEA reports whether 5G-EA<alg> is supported.
func (c SecurityCapability) SupportsEA(alg int) bool { return bit(c.EA, alg) }

// SupportsIA reports whether 5G-IA<alg> is supported.
func (c SecurityCapability) SupportsIA(alg int) bool { return bit(c.IA, alg) }

// SupportsEEA reports whether EEA<alg> is supported.
func (c SecurityCapability) SupportsEEA(alg int) bool { return c.EPS && bit(c.EEA, alg) }

// SupportsEIA reports whether EIA<alg> is supported.
func (c SecurityCapability) SupportsEIA(alg int) bool { return c.EPS && bit(c.EIA, alg) }

func bit(m uint8, alg int) bool { return alg >= 0 && alg < 8 && m&(0x80>>alg) != 0 }

// Sentinel errors, reported wrapped in *Error.
var (
	ErrEmpty                  = errors.New("empty input")
	ErrTruncated              = errors.New("truncated input")
	ErrUnknownEPD             = errors.New("unknown extended protocol discriminator")
	ErrReservedSecurityHeader = errors.New("reserved security header type")
)

// Error is a failure to decode a NAS PDU: where, what, and the detail.
type Error struct {
	Offset int    // byte offset in the PDU given to Decode
	Err    error  // one of the sentinels
	Detail string // "5GS mobile identity length 12, 4 bytes left"
}

func (e *Error) Error() string {
	s := "nas: byte " + strconv.Itoa(e.Offset) + ": " + e.Err.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Decode decodes one 5GS NAS PDU.
//
// It fails on an empty PDU, an unknown extended protocol discriminator, a
// reserved security header type, and a PDU that ends inside a header or
// an IE. Once the header is read, a failure still returns the message as
// far as it was decoded (named, with the IEs before the failure) together
// with the error, so a truncated message can still be shown. An IE that
// cannot be placed ends the decoding of IEs with a note, not an error.
func Decode(b []byte, opts Options) (*Message, error) {
	d := decoder{b: b, opts: opts}
	return d.message(0, len(b), 0)
}

// Summary is what a ladder shows for the message: its name ("Registration
// request"), with the 5GSM message of an N1 SM payload container or the
// 5GMM or 5GSM cause in parentheses, as tshark's Info column does
// ("UL NAS transport (PDU session establishment request)", "Registration
// reject (Illegal UE)"); "ciphered NAS" when the message cannot be read.
// It never guesses what a ciphered message is.
func (m *Message) Summary() string {
	if m == nil {
		return ""
	}
	if m.Ciphered {
		return summaryCiphered
	}
	if m.Inner != nil {
		return m.Inner.Summary()
	}
	if m.SecurityHeader != Plain {
		return "security protected NAS"
	}
	name := m.Name
	if name == "" {
		name = unknownTypeName(m.EPD, m.Type)
	}
	switch {
	case m.Payload != nil:
		if m.Payload.Name != "" {
			return name + " (" + m.Payload.Name + ")"
		}
	case m.MMCause != 0:
		return name + " (" + MMCauseName(m.MMCause) + ")"
	case m.SMCause != 0:
		return name + " (" + SMCauseName(m.SMCause) + ")"
	}
	return name
}

// Plain returns the plain message: m itself, or the readable inner
// message of a security protected one; nil when it is ciphered.
func (m *Message) Plain() *Message {
	for m != nil && m.SecurityHeader != Plain {
		m = m.Inner
	}
	return m
}

func unknownTypeName(epd, typ byte) string {
	if epd == EPD5GSM {
		return fmt.Sprintf("unknown 5GSM message type 0x%02x", typ)
	}
	return fmt.Sprintf("unknown 5GMM message type 0x%02x", typ)
}
