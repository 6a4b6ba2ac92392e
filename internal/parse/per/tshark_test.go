package per_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// ngapLite is the shape of an NGAP DownlinkNASTransport with its open
// types written as OCTET STRING (an open type and an unconstrained OCTET
// STRING encode alike): enough of NGAP to check ALIGNED PER against
// tshark.
const ngapLite = `
NGAP-Lite DEFINITIONS AUTOMATIC TAGS ::= BEGIN
NGAP-PDU ::= CHOICE {
    initiatingMessage       InitiatingMessage,
    successfulOutcome       NULL,
    unsuccessfulOutcome     NULL,
    ...
}
InitiatingMessage ::= SEQUENCE {
    procedureCode           INTEGER (0..255),
    criticality             Criticality,
    value                   OCTET STRING (CONTAINING DownlinkNASTransport)
}
Criticality ::= ENUMERATED { reject, ignore, notify }
DownlinkNASTransport ::= SEQUENCE {
    protocolIEs             SEQUENCE (SIZE (0..maxProtocolIEs)) OF ProtocolIE-Field,
    ...
}
ProtocolIE-Field ::= SEQUENCE {
    id                      INTEGER (0..65535),
    criticality             Criticality,
    value                   OCTET STRING
}
AMF-UE-NGAP-ID ::= INTEGER (0..1099511627775)
RAN-UE-NGAP-ID ::= INTEGER (0..4294967295)
NAS-PDU ::= OCTET STRING
maxProtocolIEs INTEGER ::= 65535
END`

// TestAlignedTshark encodes NGAP DownlinkNASTransport messages in ALIGNED
// PER and checks that tshark (when installed) reads the same identities
// and NAS PDU from them, without malformed or expert items.
func TestAlignedTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("SKIPPED: tshark not installed; ALIGNED PER differential check NOT run")
	}
	s, err := per.Compile(per.File{Name: "ngap-lite.asn", Text: []byte(ngapLite)})
	if err != nil {
		t.Fatal(err)
	}
	aper := per.Options{Aligned: true}
	enc := func(typ string, v per.Value) []byte {
		t.Helper()
		b, err := s.Encode(typ, &v, aper)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	type msg struct {
		amf, ran int64
		nas      []byte
	}
	msgs := []msg{
		{0, 0, []byte{0x7e, 0x00, 0x54}},
		{1, 1, bytes.Repeat([]byte{0x7e}, 200)},
		{255, 256, []byte{0x7e, 0x00, 0x56, 0x00, 0x02}},
		{65535, 65536, bytes.Repeat([]byte{0xa5}, 130)},
		{1099511627775, 4294967295, []byte{0x7e, 0x02, 0x12, 0x34, 0x56, 0x78, 0x00}},
		{0x123456789a, 0xdeadbeef, []byte{0x7e}},
	}
	var pdus [][]byte
	var want []string
	for _, m := range msgs {
		ie := func(id int64, value []byte) per.Value {
			return per.Value{Kind: per.Sequence, Fields: []per.Value{
				{Kind: per.Integer, Name: "id", Int: id},
				{Kind: per.Enumerated, Name: "criticality", Ident: "reject"},
				{Kind: per.OctetString, Name: "value", Octets: value},
			}}
		}
		dl := per.Value{Kind: per.Sequence, Fields: []per.Value{{Kind: per.SequenceOf, Name: "protocolIEs", Fields: []per.Value{
			ie(10, enc("AMF-UE-NGAP-ID", per.Value{Kind: per.Integer, Int: m.amf})),
			ie(85, enc("RAN-UE-NGAP-ID", per.Value{Kind: per.Integer, Int: m.ran})),
			ie(38, enc("NAS-PDU", per.Value{Kind: per.OctetString, Octets: m.nas})),
		}}}}
		pdu := enc("NGAP-PDU", per.Value{Kind: per.Choice, Fields: []per.Value{{Kind: per.Sequence, Name: "initiatingMessage", Fields: []per.Value{
			{Kind: per.Integer, Name: "procedureCode", Int: 4},
			{Kind: per.Enumerated, Name: "criticality", Ident: "ignore"},
			{Kind: per.OctetString, Name: "value", Contained: &dl},
		}}}})
		// and back
		v, err := s.Decode("NGAP-PDU", pdu, aper)
		if err != nil {
			t.Fatalf("Decode(%x): %v", pdu, err)
		}
		if got := v.Get("initiatingMessage.value.protocolIEs.2.value"); got == nil || !bytes.Equal(got.Octets, enc("NAS-PDU", per.Value{Kind: per.OctetString, Octets: m.nas})) {
			t.Fatalf("Decode(%x) = %s", pdu, v.AppendJER(nil))
		}
		pdus = append(pdus, pdu)
		want = append(want, strconv.FormatInt(m.amf, 10)+" "+strconv.FormatInt(m.ran, 10)+" "+hex.EncodeToString(m.nas)+"  ")
	}
	path := filepath.Join(t.TempDir(), "ngap.pcap")
	if err := os.WriteFile(path, exportPDUPcap("ngap", pdus), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-r", path, "--disable-protocol", "nas-5gs", "-T", "fields", "-E", "separator= ",
		"-e", "ngap.AMF_UE_NGAP_ID", "-e", "ngap.RAN_UE_NGAP_ID", "-e", "ngap.NAS_PDU", "-e", "_ws.malformed", "-e", "_ws.expert").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	got := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tshark reads (-want +got):\n%s", diff)
	}
}

// exportPDUPcap writes a pcap of link type 252 (Wireshark Upper PDU),
// each packet handed to the named dissector.
func exportPDUPcap(dissector string, pdus [][]byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	hdr := make([]byte, 24)
	le.PutUint32(hdr[0:], 0xa1b2c3d4)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	le.PutUint32(hdr[16:], 65535)
	le.PutUint32(hdr[20:], 252)
	b.Write(hdr)
	for i, pdu := range pdus {
		var p []byte
		p = binary.BigEndian.AppendUint16(p, 12) // dissector name
		p = binary.BigEndian.AppendUint16(p, uint16(len(dissector)))
		p = append(p, dissector...)
		p = append(p, 0, 0, 0, 0) // end of options
		p = append(p, pdu...)
		rec := make([]byte, 16)
		le.PutUint32(rec[0:], uint32(i+1))
		le.PutUint32(rec[8:], uint32(len(p)))
		le.PutUint32(rec[12:], uint32(len(p)))
		b.Write(rec)
		b.Write(p)
	}
	return b.Bytes()
}
