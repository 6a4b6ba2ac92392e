package per_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/per"
)

func TestTree(t *testing.T) {
	mini := nrMini(t)
	feat := featureSchema(t)
	type L = per.Line
	tests := []struct {
		name   string
		schema *per.Schema
		typ    string
		in     []byte
		opts   per.Options
		want   []per.Line
	}{
		{
			name: "identities in hex", schema: mini, typ: "UL-CCCH-Message",
			in: bits("0 10 0100011000000001 0000000001 1011111011101111 10 0"),
			want: []L{
				{Depth: 0, Name: "UL-CCCH-Message", Kind: "SEQUENCE", Type: "UL-CCCH-Message"},
				{Depth: 1, Name: "message", Value: "c1", Kind: "CHOICE", Type: "UL-CCCH-MessageType"},
				{Depth: 2, Name: "c1", Value: "rrcReestablishmentRequest", Kind: "CHOICE"},
				{Depth: 3, Name: "rrcReestablishmentRequest", Kind: "SEQUENCE", Type: "RRCReestablishmentRequest"},
				{Depth: 4, Name: "rrcReestablishmentRequest", Kind: "SEQUENCE", Type: "RRCReestablishmentRequest-IEs"},
				{Depth: 5, Name: "ue-Identity", Kind: "SEQUENCE", Type: "ReestabUE-Identity"},
				{Depth: 6, Name: "c-RNTI", Value: "17921", Kind: "INTEGER", Type: "RNTI-Value", Hex: "0x4601"},
				{Depth: 6, Name: "physCellId", Value: "1", Kind: "INTEGER", Type: "PhysCellId"},
				{Depth: 6, Name: "shortMAC-I", Value: "'1011111011101111'B (16 bits)", Kind: "BIT STRING", Type: "ShortMAC-I"},
				{Depth: 5, Name: "reestablishmentCause", Value: "otherFailure", Kind: "ENUMERATED", Type: "ReestablishmentCause"},
				{Depth: 5, Name: "spare", Value: "'0'B (1 bit)", Kind: "BIT STRING"},
			},
		},
		{
			name: "container decoded", schema: mini, typ: "RRCSetup",
			in: bits("00 0 00 0 10000 0 0 000 00 00000010 0 0000000 10 000000"),
			want: []L{
				{Depth: 0, Name: "RRCSetup", Kind: "SEQUENCE", Type: "RRCSetup"},
				{Depth: 1, Name: "rrc-TransactionIdentifier", Value: "0", Kind: "INTEGER", Type: "RRC-TransactionIdentifier"},
				{Depth: 1, Name: "criticalExtensions", Value: "rrcSetup", Kind: "CHOICE"},
				{Depth: 2, Name: "rrcSetup", Kind: "SEQUENCE", Type: "RRCSetup-IEs"},
				{Depth: 3, Name: "radioBearerConfig", Kind: "SEQUENCE", Type: "RadioBearerConfig"},
				{Depth: 4, Name: "srb-ToAddModList", Value: "1 item", Kind: "SEQUENCE OF", Type: "SRB-ToAddModList"},
				{Depth: 5, Name: "[0]", Kind: "SEQUENCE", Type: "SRB-ToAddMod"},
				{Depth: 6, Name: "srb-Identity", Value: "1", Kind: "INTEGER", Type: "SRB-Identity", Hex: "0x1"},
				{Depth: 3, Name: "masterCellGroup", Value: "CellGroupConfig, 2 bytes", Kind: "OCTET STRING"},
				{Depth: 4, Name: "cellGroupId", Value: "2", Kind: "INTEGER", Type: "CellGroupId"},
			},
		},
		{
			name: "container opaque", schema: mini, typ: "RRCSetup",
			in:   bits("00 0 00 0 00000 00000010 0 0000000 10 000000"),
			opts: per.Options{Opaque: map[string]bool{"CellGroupConfig": true}},
			want: []L{
				{Depth: 0, Name: "RRCSetup", Kind: "SEQUENCE", Type: "RRCSetup"},
				{Depth: 1, Name: "rrc-TransactionIdentifier", Value: "0", Kind: "INTEGER", Type: "RRC-TransactionIdentifier"},
				{Depth: 1, Name: "criticalExtensions", Value: "rrcSetup", Kind: "CHOICE"},
				{Depth: 2, Name: "rrcSetup", Kind: "SEQUENCE", Type: "RRCSetup-IEs"},
				{Depth: 3, Name: "radioBearerConfig", Kind: "SEQUENCE", Type: "RadioBearerConfig"},
				{Depth: 3, Name: "masterCellGroup", Value: "CellGroupConfig, 2 bytes", Kind: "OCTET STRING", Note: "not decoded", Hex: "0080"},
			},
		},
		{
			name: "container broken", schema: feat, typ: "Holder",
			in: bits("0 00000001 10000000"),
			want: []L{
				{Depth: 0, Name: "Holder", Kind: "SEQUENCE", Type: "Holder"},
				{Depth: 1, Name: "cg", Value: "Inner, 1 byte", Kind: "OCTET STRING", Hex: "80",
					Note: "not decoded: per: Holder.cg: bit 13: truncated input (need 6 bits, 4 left)"},
			},
		},
		{
			name: "skipped extensions", schema: feat, typ: "V0",
			in: bits("1 1 0000010 101 00000001 11010000 00000001 00000111"),
			want: []L{
				{Depth: 0, Name: "V0", Kind: "SEQUENCE", Type: "V0", Note: "2 unknown extensions skipped (16 bits)"},
				{Depth: 1, Name: "a", Value: "true", Kind: "BOOLEAN"},
			},
		},
		{
			name: "named bits, long bit strings, octets", schema: feat, typ: "Bits",
			in: bits("101010 010 110 00010010 111111111111111111 1 00000110 101101 010 101"),
			want: []L{
				{Depth: 0, Name: "Bits", Kind: "SEQUENCE", Type: "Bits"},
				{Depth: 1, Name: "f", Value: "'101010'B (6 bits)", Kind: "BIT STRING"},
				{Depth: 1, Name: "r", Value: "'110'B (3 bits)", Kind: "BIT STRING"},
				{Depth: 1, Name: "u", Value: "'FFFFC'H (18 bits)", Kind: "BIT STRING"},
				{Depth: 1, Name: "x", Value: "'101101'B (6 bits)", Kind: "BIT STRING"},
				{Depth: 1, Name: "n", Value: "'101'B (3 bits)", Kind: "BIT STRING", Note: "a, c"},
			},
		},
		{
			name: "unknown extension values and alternatives", schema: feat, typ: "Enums",
			in: bits("00 1 0000000 1 0000101"),
			want: []L{
				{Depth: 0, Name: "Enums", Kind: "SEQUENCE", Type: "Enums"},
				{Depth: 1, Name: "a", Value: "a", Kind: "ENUMERATED", Type: "E1"},
				{Depth: 1, Name: "b", Value: "c", Kind: "ENUMERATED", Type: "E2"},
				{Depth: 1, Name: "c", Value: "extension value 7", Kind: "ENUMERATED", Type: "E2", Note: "unknown extension value"},
			},
		},
		{
			name: "unknown alternative", schema: feat, typ: "C0",
			in: bits("1 0000011 00000001 10101011"),
			want: []L{
				{Depth: 0, Name: "C0", Value: "extension alternative 5", Kind: "CHOICE", Type: "C0", Note: "unknown extension"},
				{Depth: 1, Name: "[5]", Value: "unknown extension, 1 byte", Kind: "open type", Hex: "ab"},
			},
		},
		{
			name: "octets and lists", schema: feat, typ: "Octets",
			in: bits("10101011 11001101 01 00000001 00000010 00000001 11111111 1 00000011 00000001 00000010 00000011"),
			want: []L{
				{Depth: 0, Name: "Octets", Kind: "SEQUENCE", Type: "Octets"},
				{Depth: 1, Name: "f", Value: "abcd", Kind: "OCTET STRING", Note: "2 bytes"},
				{Depth: 1, Name: "r", Value: "0102", Kind: "OCTET STRING", Note: "2 bytes"},
				{Depth: 1, Name: "u", Value: "ff", Kind: "OCTET STRING", Note: "1 byte"},
				{Depth: 1, Name: "x", Value: "010203", Kind: "OCTET STRING", Note: "3 bytes"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.schema.Decode(tt.typ, tt.in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, v.Tree()); diff != "" {
				t.Errorf("Tree() (-want +got):\n%s", diff)
			}
		})
	}
}
