package nas_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse/nas"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// A differential frame: one NAS PDU and where it came from.
type diffFrame struct {
	label string
	pdu   []byte
}

// fields is what is compared of a frame: tshark field name (or a name of
// ours for a group of tshark fields) → values, sorted.
type fields map[string][]string

// Fields compared with tshark, by tshark name. Groups: "names" (message
// types), "ciphered", "mcc", "mnc", "ksi" (ngKSI in either half octet).
var comparedFields = []string{
	"nas_5gs.security_header_type",
	"nas_5gs.mm.type_id", "nas_5gs.mm.suci.supi_fmt", "nas_5gs.mm.suci.routing_indicator",
	"nas_5gs.mm.suci.scheme_id", "nas_5gs.mm.suci.pki", "nas_5gs.mm.suci.msin", "nas_5gs.mm.suci.nai",
	"nas_5gs.mm.imei", "nas_5gs.mm.imeisv", "nas_5gs.amf_region_id", "nas_5gs.amf_set_id", "nas_5gs.amf_pointer",
	"nas_5gs.5g_tmsi", "nas_5gs.mm.mac_addr", "nas_5gs.mm.eui_64",
	"nas_5gs.mm.nas_sec_algo_enc", "nas_5gs.mm.nas_sec_algo_ip",
	"nas_5gs.mm.5gmm_cause", "nas_5gs.sm.5gsm_cause",
	"nas_5gs.mm.5gs_reg_type", "nas_5gs.mm.for",
	"nas_5gs.mm.pld_cont_type", "nas_5gs.pdu_session_id",
}

// UE security capability bits, in the order of SecurityCapability's
// octets (EA, IA, EEA, EIA), MSB first.
var capabilityFields = [4][8]string{
	{"nas_5gs.mm.5g_ea0", "nas_5gs.mm.128_5g_ea1", "nas_5gs.mm.128_5g_ea2", "nas_5gs.mm.128_5g_ea3",
		"nas_5gs.mm.5g_ea4", "nas_5gs.mm.5g_ea5", "nas_5gs.mm.5g_ea6", "nas_5gs.mm.5g_ea7"},
	{"nas_5gs.mm.ia0", "nas_5gs.mm.5g_128_ia1", "nas_5gs.mm.5g_128_ia2", "nas_5gs.mm.5g_128_ia3",
		"nas_5gs.mm.5g_128_ia4", "nas_5gs.mm.5g_ia5", "nas_5gs.mm.5g_ia6", "nas_5gs.mm.5g_ia7"},
	{"nas_5gs.mm.eea0", "nas_5gs.mm.128eea1", "nas_5gs.mm.128eea2", "nas_5gs.mm.eea3",
		"nas_5gs.mm.eea4", "nas_5gs.mm.eea5", "nas_5gs.mm.eea6", "nas_5gs.mm.eea7"},
	{"nas_5gs.mm.eia0", "nas_5gs.mm.128eia1", "nas_5gs.mm.128eia2", "nas_5gs.mm.eia3",
		"nas_5gs.mm.eia4", "nas_5gs.mm.eia5", "nas_5gs.mm.eia6", "nas_5gs.mm.eia7"},
}

var messageTypeShow = regexp.MustCompile(`^Message type: (.*) \(0x[0-9a-f]{2}\)$`)

// tsharkFields collects the compared fields of one PDML packet.
func tsharkFields(pkt *tsharktest.Packet) fields {
	f := fields{}
	wanted := map[string]bool{}
	for _, n := range comparedFields {
		wanted[n] = true
	}
	for _, octet := range capabilityFields {
		for _, n := range octet {
			wanted[n] = true
		}
	}
	var walk func(n *tsharktest.Node)
	walk = func(n *tsharktest.Node) {
		for i := range n.Children {
			c := &n.Children[i]
			switch {
			case c.Name == "nas_5gs.mm.message_type" || c.Name == "nas_5gs.sm.message_type":
				if sm := messageTypeShow.FindStringSubmatch(c.Showname); sm != nil {
					f["names"] = append(f["names"], sm[1])
				}
			case c.Name == "" && c.Show == "Encrypted data":
				f["ciphered"] = append(f["ciphered"], "1")
			case c.Name == "e212.mcc" || c.Name == "e212.guami.mcc":
				f["mcc"] = append(f["mcc"], c.Show)
			case c.Name == "e212.mnc" || c.Name == "e212.guami.mnc":
				f["mnc"] = append(f["mnc"], c.Show)
			case c.Name == "nas_5gs.mm.nas_key_set_id" || c.Name == "nas_5gs.mm.nas_key_set_id.h1":
				f["ksi"] = append(f["ksi"], c.Show)
			case wanted[c.Name]:
				f[c.Name] = append(f[c.Name], c.Show)
			}
			walk(c)
		}
	}
	walk(pkt)
	return f.sorted()
}

func (f fields) add(name string, v any) { f[name] = append(f[name], fmt.Sprint(v)) }

func (f fields) sorted() fields {
	for _, v := range f {
		slices.Sort(v)
	}
	return f
}

// ourFields collects the same values from a decoded message.
func ourFields(m *nas.Message) fields {
	f := fields{}
	if m.SecurityHeader != nas.Plain {
		f.add("nas_5gs.security_header_type", m.SecurityHeader)
	}
	if m.Ciphered {
		f.add("ciphered", 1)
	}
	if p := m.Plain(); p != nil {
		plainFields(f, p)
	}
	return f.sorted()
}

func plainFields(f fields, m *nas.Message) {
	if m.EPD == nas.EPD5GMM {
		f.add("nas_5gs.security_header_type", 0)
	}
	if m.Name != "" {
		f.add("names", m.Name)
	}
	if m.PDUSessionID >= 0 {
		f.add("nas_5gs.pdu_session_id", m.PDUSessionID)
	}
	for _, id := range m.Identities {
		f.add("nas_5gs.mm.type_id", int(id.Type))
		switch id.Type {
		case nas.SUCI:
			f.add("nas_5gs.mm.suci.supi_fmt", id.SUPIFormat)
			if id.SUPIFormat == 1 {
				f.add("nas_5gs.mm.suci.nai", id.NAI)
				break
			}
			f.add("mcc", atoi(id.MCC))
			f.add("mnc", atoi(id.MNC))
			f.add("nas_5gs.mm.suci.routing_indicator", id.RoutingIndicator)
			f.add("nas_5gs.mm.suci.scheme_id", id.ProtectionScheme)
			f.add("nas_5gs.mm.suci.pki", id.HomeNetworkPublicKeyID)
			if id.ProtectionScheme == 0 {
				f.add("nas_5gs.mm.suci.msin", id.Digits)
			}
		case nas.GUTI5G:
			f.add("mcc", atoi(id.MCC))
			f.add("mnc", atoi(id.MNC))
			f.add("nas_5gs.amf_region_id", id.AMFRegionID)
			fallthrough
		case nas.STMSI5G:
			f.add("nas_5gs.amf_set_id", id.AMFSetID)
			f.add("nas_5gs.amf_pointer", id.AMFPointer)
			f.add("nas_5gs.5g_tmsi", id.TMSI)
		case nas.IMEI:
			f.add("nas_5gs.mm.imei", id.Digits)
		case nas.IMEISV:
			f.add("nas_5gs.mm.imeisv", id.Digits)
		case nas.MACAddress:
			f.add("nas_5gs.mm.mac_addr", id.Value)
		case nas.EUI64:
			f.add("nas_5gs.mm.eui_64", id.Value)
		}
	}
	if m.Type == 0x5b { // Identity request: the requested type
		for _, ie := range m.IEs {
			if ie.Name == "Identity type" {
				f.add("nas_5gs.mm.type_id", valueNumber(ie.Value))
			}
		}
	}
	if a := m.Algorithms; a != nil {
		f.add("nas_5gs.mm.nas_sec_algo_enc", a.Ciphering)
		f.add("nas_5gs.mm.nas_sec_algo_ip", a.Integrity)
	}
	if m.MMCause != 0 {
		f.add("nas_5gs.mm.5gmm_cause", m.MMCause)
	}
	if m.SMCause != 0 {
		f.add("nas_5gs.sm.5gsm_cause", m.SMCause)
	}
	if m.RegistrationType != 0 {
		f.add("nas_5gs.mm.5gs_reg_type", m.RegistrationType)
		f.add("nas_5gs.mm.for", boolInt(m.FollowOnRequest))
	}
	if m.NgKSI != nil {
		f.add("ksi", m.NgKSI.Value)
	}
	if m.PayloadContainerType != 0 {
		f.add("nas_5gs.mm.pld_cont_type", m.PayloadContainerType)
	}
	if c := m.UESecurityCapability; c != nil {
		octets := []uint8{c.EA, c.IA}
		if c.EPS {
			octets = append(octets, c.EEA, c.EIA)
		}
		for i, o := range octets {
			for b, name := range capabilityFields[i] {
				f.add(name, boolInt(o&(0x80>>b) != 0))
			}
		}
	}
	for _, ie := range m.IEs {
		if ie.Name == "NAS message container" && strings.HasPrefix(ie.Value, "ciphered") {
			f.add("ciphered", 1)
		}
	}
	if m.Payload != nil {
		plainFields(f, m.Payload)
	}
	if m.Contained != nil {
		plainFields(f, m.Contained)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// valueNumber reads the number in "SUCI (1)".
func valueNumber(s string) int {
	i := strings.LastIndex(s, "(")
	n, _ := strconv.Atoi(strings.TrimSuffix(s[i+1:], ")"))
	return n
}

// compareWithTshark writes the frames as a link type 252 capture, lets
// tshark dissect them twice (as is, and with nas-5gs.null_decipher, the
// 5G-EA0 case), decodes them with CipheringAlgorithm -1 and 0, and
// compares. It returns how many frames agreed on each pass.
func compareWithTshark(t *testing.T, frames []diffFrame) (agreed, known int) {
	t.Helper()
	file := capturetest.File{Format: capturetest.Pcap, LinkType: capturetest.LinkTypeExportedPDU}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range frames {
		file.Packets = append(file.Packets, capturetest.Packet{
			Time: t0.Add(time.Duration(i) * time.Millisecond),
			Data: capturetest.ExportedPDU("nas-5gs", f.pdu),
		})
	}
	for _, pass := range []struct {
		name   string
		opts   nas.Options
		tshark []string
	}{
		{"ciphering unknown", nas.Options{CipheringAlgorithm: -1}, nil},
		{"5G-EA0", nas.Options{CipheringAlgorithm: 0}, []string{"-o", "nas-5gs.null_decipher:TRUE"}},
	} {
		packets := tsharktest.PDML(t, file.Bytes(), pass.tshark...)
		if len(packets) != len(frames) {
			t.Fatalf("%s: tshark shows %d frames, wrote %d", pass.name, len(packets), len(frames))
		}
		for i, f := range frames {
			want := tsharkFields(&packets[i])
			m, err := nas.Decode(f.pdu, pass.opts)
			if err != nil {
				t.Errorf("%s: frame %d %s (% x): %v", pass.name, i+1, f.label, f.pdu, err)
				continue
			}
			got := ourFields(m)
			diff := cmp.Diff(want, got)
			if diff == "" {
				agreed++
				continue
			}
			if why, ok := knownDifference(pass.opts, m); ok {
				known++
				t.Logf("%s: frame %d %s: known difference (%s):\n%s", pass.name, i+1, f.label, why, diff)
				continue
			}
			t.Errorf("%s: frame %d %s (% x): tshark (-) vs nas (+):\n%s", pass.name, i+1, f.label, f.pdu, diff)
		}
	}
	return agreed, known
}

// knownDifference says why nas and tshark may differ on a frame: with
// nas-5gs.null_decipher, tshark decodes whatever follows a security header
// (or fills a NAS message container) as a plain message, ciphered or not,
// and shows garbage; nas takes bytes that do not start with a 5GS EPD as
// ciphered and says so in a note.
func knownDifference(opts nas.Options, m *nas.Message) (string, bool) {
	if opts.CipheringAlgorithm != 0 {
		return "", false
	}
	for _, n := range m.Notes {
		if strings.Contains(n, "although 5G-EA0 is in force: taken as ciphered") {
			return "ciphered although 5G-EA0 was assumed; tshark decodes the ciphertext", true
		}
	}
	return "", false
}

// TestDifferentialTshark compares every nastest builder's decoding with
// tshark's nas-5gs dissector: message names, security header types, the
// ciphered state, mobile identities, NAS security algorithms, causes,
// registration type, ngKSI, payload container type, PDU session IDs and
// every UE security capability bit.
func TestDifferentialTshark(t *testing.T) {
	tshark := tsharktest.Path(t)
	var frames []diffFrame
	for _, b := range builders() {
		frames = append(frames, diffFrame{label: b.name, pdu: b.pdu})
	}
	agreed, known := compareWithTshark(t, frames)
	t.Logf("%d of %d frames agreed with %s (2 passes), %d known differences", agreed, 2*len(frames), tshark, known)
}

// TestDifferentialTsharkTraces does the same for every NAS-PDU that NGAP
// carries in the shared real captures (../shared/traces).
func TestDifferentialTsharkTraces(t *testing.T) {
	tshark := tsharktest.Path(t)
	dir, ok := sharedTraces()
	if !ok {
		t.Skip("shared traces not found: real-capture differential test SKIPPED")
	}
	frames := tracePDUs(t, tshark, dir)
	if len(frames) == 0 {
		t.Fatal("no NAS-PDU found in the shared traces")
	}
	agreed, known := compareWithTshark(t, frames)
	t.Logf("%d of %d NGAP NAS-PDUs agreed with %s (2 passes), %d known differences", agreed, 2*len(frames), tshark, known)
}

// sharedTraces finds ../shared/traces above the working directory, or
// $NRLADDER_SHARED/traces.
func sharedTraces() (string, bool) {
	if d := os.Getenv("NRLADDER_SHARED"); d != "" {
		d = filepath.Join(d, "traces")
		_, err := os.Stat(d)
		return d, err == nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for range 8 {
		if d := filepath.Join(dir, "shared", "traces"); isDir(d) {
			return d, true
		}
		dir = filepath.Dir(dir)
	}
	return "", false
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// tracePDUs lists the distinct NGAP NAS-PDUs of the shared captures, as
// tshark extracts them (PROVENANCE.md's options for the user DLTs).
func tracePDUs(t *testing.T, tshark, dir string) []diffFrame {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
	seen := map[string]bool{}
	var frames []diffFrame
	for _, file := range files {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		var out, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, tshark, "-n", "-r", file,
			"-o", `uat:user_dlts:"User 5 (DLT=152)","ngap","0","","0",""`,
			"-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;", "-e", "frame.number", "-e", "ngap.NAS_PDU")
		cmd.Stdout, cmd.Stderr = &out, &stderr
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("tshark on %s: %v\n%s", file, err, stderr.String())
		}
		for line := range strings.Lines(out.String()) {
			frame, list, _ := strings.Cut(strings.TrimSpace(line), "\t")
			for _, h := range strings.Split(list, ";") {
				if h == "" || seen[h] {
					continue
				}
				pdu, err := hex.DecodeString(h)
				if err != nil {
					t.Fatalf("%s frame %s: NAS-PDU %q: %v", file, frame, h, err)
				}
				seen[h] = true
				frames = append(frames, diffFrame{label: filepath.Base(file) + " frame " + frame, pdu: pdu})
			}
		}
	}
	return frames
}
