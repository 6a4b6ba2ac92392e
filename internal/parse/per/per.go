// Package per decodes ASN.1 Packed Encoding Rules (ITU-T X.691) against a
// schema written in ASN.1 (X.680), as 3GPP writes its protocols (TS 38.331
// NR RRC, later F1AP and NGAP).
//
// It holds three things. A compiler: Compile parses the subset of ASN.1
// that 38.331 uses (module wrapper, type and value assignments,
// parameterized types such as SetupRelease, BOOLEAN, NULL, INTEGER,
// ENUMERATED, BIT STRING, OCTET STRING with SIZE and CONTAINING, SEQUENCE
// with OPTIONAL, DEFAULT, extension additions and [[ ]] groups, SEQUENCE
// OF, CHOICE) into a Schema, and rejects anything else with file:line:col.
// One generic engine: Schema.Decode reads UNALIGNED PER (ALIGNED with
// Options.Aligned) into a Value tree, in schema order, and Schema.Encode
// writes a Value back. And two renderings of a Value: X.697 JSON (JER)
// with the project's conventions (Value.MarshalJSON), and a readable
// tree for the UI (Value.Tree).
//
// Decoding never panics and never returns a silently wrong value: a
// truncated input, a value outside its constraint, an unknown alternative
// of a non-extensible CHOICE, unused octets after a value, each is an
// *Error with the dotted path from the top type and the bit offset:
//
//	per: SecurityModeCommand.criticalExtensions.securityModeCommand.securityConfigSMC: bit 37: truncated input (need 3 bits, 1 left)
//
// Nesting depth and the number of values are bounded, so a hostile input
// cannot exhaust the stack or the CPU. An OCTET STRING (CONTAINING X)
// whose content fails to decode does not fail the message: the octets are
// kept and the failure recorded in the container's Value.
//
// To support a new built-in type: 1. parse it (parse.go: typ), 2. give it
// a Kind and compile it (schema.go: compiler.typ), 3. decode and encode it
// (decode.go, encode.go), 4. render it (jer.go, tree.go), 5. add it to
// the random value generator of the round-trip test.
//
// It imports only uper from the project.
package per

import (
	"errors"
	"strconv"

	"github.com/nrladder/nrladder/internal/parse/uper"
)

// Sentinel errors, reported wrapped in *Error; test with errors.Is. The
// first three are those of package uper.
var (
	// ErrTruncated: the input ends inside a value.
	ErrTruncated = uper.ErrTruncated
	// ErrRange: a value outside its constraint: an INTEGER above its upper
	// bound, an ENUMERATED or CHOICE index beyond the root, a length
	// outside its SIZE.
	ErrRange = uper.ErrRange
	// ErrUnsupported: an encoding this package does not read, such as an
	// INTEGER beyond 64 bits.
	ErrUnsupported = uper.ErrUnsupported
	// ErrTrailing: whole octets left unused after a complete encoding (the
	// message, an open type or a contained value).
	ErrTrailing = errors.New("unused octets after the value")
	// ErrLimit: the input nests deeper than Options.MaxDepth or holds more
	// than Options.MaxValues values.
	ErrLimit = errors.New("limit exceeded")
	// ErrNoType: the schema has no type of that name.
	ErrNoType = errors.New("no such type")
	// ErrValue: Encode was given a value that does not match its type.
	ErrValue = errors.New("value does not match its type")
	// ErrUnmodelled: the value is of a type the schema declares UNMODELLED.
	ErrUnmodelled = errors.New("type not modelled")
)

// Error is a failure to decode (or encode) at a bit offset of the input
// (or output).
type Error struct {
	// Path is the dotted path from the top type to the value that failed:
	// "RRCSetup.criticalExtensions.rrcSetup.radioBearerConfig", with
	// [i] after a SEQUENCE OF element.
	Path string
	// Bit is the offset of the failing read in the top-level input, also
	// inside open types and contained values.
	Bit    int
	Err    error  // one of the sentinels
	Detail string // e.g. "need 3 bits, 1 left"; may be empty
}

func (e *Error) Error() string {
	s := "per: " + e.Path + ": bit " + strconv.Itoa(e.Bit) + ": " + e.Err.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Default limits of Options.
const (
	DefaultMaxDepth  = 100
	DefaultMaxValues = 1 << 18
)

// Options select the PER variant and bound the work of a decoding. The
// zero Options decode UNALIGNED PER with the default limits.
type Options struct {
	// Aligned selects ALIGNED PER (F1AP, NGAP); UNALIGNED otherwise (RRC).
	Aligned bool
	// Opaque names types that are not decoded when reached through
	// OCTET STRING (CONTAINING X): their octets are kept as they are,
	// labelled with the type name (e.g. "CellGroupConfig").
	Opaque map[string]bool
	// AllowTrailing accepts whole octets after the top-level value (an RRC
	// PDU padded by the layer below); Value.Trailing counts them. Inside
	// open types and contained values unused octets stay an error.
	AllowTrailing bool
	// MaxDepth bounds the nesting of values, contained values included;
	// 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxValues bounds the number of values decoded; 0 means
	// DefaultMaxValues.
	MaxValues int
}
