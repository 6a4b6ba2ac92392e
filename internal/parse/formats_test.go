package parse_test

// End-to-end fixtures for the capture formats the shared public captures do
// not cover. Each fixture carries the product's main scenario (the
// SecurityModeCommand → SecurityModeFailure → RRCRelease branch of
// tracetest.SecurityModeFailure, or the AS security activation of
// tracetest.Normal) in one format, built with the project's own builders
// (capturetest, framingtest, mactest, rrctest, aptest), deterministically.
// The test parses it as an upload is parsed (parse.Trace, then ladder.Build)
// and checks every message of every UE ladder against what the builder put
// in the capture (frames, times, names, directions, channels, bearers,
// txids, PDCP SNs, carriers, ciphering, retransmissions, roles), that the
// failure branch is found, and that no warning is raised but those
// expected. The rendered ladders are kept in testdata/formats/*.golden
// (go test -run TestFormats -update rewrites them).
//
// Where tshark 4.0 decodes the capture, TestFormatsTshark compares frame by
// frame the NR RRC messages (and txids) it shows with ours; the
// differences are only those where tshark is demonstrably wrong (ciphered
// PDUs in F1AP containers it decodes as plain text, RLC retransmissions it
// shows again, zero-filled MAC padding it decodes as messages, the RRC
// container of UEContextReleaseCommand it does not dissect), listed in
// testdata/formats/*.tshark.golden.

import (
	"bytes"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/aptest"
	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/framingtest"
	"github.com/nrladder/nrladder/internal/ladder"
	"github.com/nrladder/nrladder/internal/mactest"
	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/rrc"
	"github.com/nrladder/nrladder/internal/rrctest"
	"github.com/nrladder/nrladder/internal/tracetest"
	"github.com/nrladder/nrladder/internal/tsharktest"
)

// updating reports whether -update was given. The flag is package parse's
// (parse_test.go), which the external test package shares a binary with
// and cannot name.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// ---------------------------------------------------------------------------
// Scenarios: tracetest steps with what the ladder must say of each.

// step is one RRC message of a scenario with its expected reading.
type step struct {
	tracetest.Step
	name string // ASN.1 message name
	txid int    // rrc-TransactionIdentifier, -1 when the message has none
	role string // ladder role in the failure branch
	nas  []byte // the NAS PDU it carries (copied into NGAP)
}

// The NAS PDUs of tracetest.Connection, rebuilt the same way; smfSteps
// checks that they are the ones its RRC messages carry.
func connectionNAS(msin string) (register, authReq, authResp []byte) {
	register = nastest.RegistrationRequest(nastest.SUCI("001", "01", "0000", msin), 0xe0, 0xe0)
	var rnd, autn, res [16]byte
	for i := range rnd {
		rnd[i], autn[i], res[i] = byte(i), byte(0x80+i), byte(0x40+i)
	}
	return register, nastest.AuthenticationRequest(0, rnd, autn), nastest.AuthenticationResponse(res)
}

// smfSteps is tracetest.SecurityModeFailure with its expected reading:
// setup, registration and authentication, the SecurityModeCommand (txid 2,
// nea2/nia2) answered by a SecurityModeFailure 12.4 ms later, the
// RRCRelease 38 ms after that.
func smfSteps(t *testing.T) []step {
	t.Helper()
	register, authReq, authResp := connectionNAS("0000000001")
	s := named(t, tracetest.SecurityModeFailure(), []step{
		{name: "RRCSetupRequest", txid: -1},
		{name: "RRCSetup", txid: 0},
		{name: "RRCSetupComplete", txid: 0, nas: register},
		{name: "DLInformationTransfer", txid: 1, nas: authReq},
		{name: "ULInformationTransfer", txid: -1, nas: authResp},
		{name: "SecurityModeCommand", txid: 2, role: ladder.RoleSMCFailed},
		{name: "SecurityModeFailure", txid: 2, role: ladder.RoleSMF},
		{name: "RRCRelease", txid: 3, role: ladder.RoleReleaseAfterFailure},
	})
	checkNAS(t, s)
	return s
}

// normalSteps is tracetest.Normal: AS security activated with nea2, then
// UE capabilities and a reconfiguration (which the fixtures cipher where
// PDCP carries them).
func normalSteps(t *testing.T) []step {
	t.Helper()
	register, authReq, authResp := connectionNAS("0000000001")
	s := named(t, tracetest.Normal(), []step{
		{name: "RRCSetupRequest", txid: -1},
		{name: "RRCSetup", txid: 0},
		{name: "RRCSetupComplete", txid: 0, nas: register},
		{name: "DLInformationTransfer", txid: 1, nas: authReq},
		{name: "ULInformationTransfer", txid: -1, nas: authResp},
		{name: "SecurityModeCommand", txid: 2},
		{name: "SecurityModeComplete", txid: 2},
		{name: "UECapabilityEnquiry", txid: 3},
		{name: "RRCReconfiguration", txid: 0},
		{name: "RRCReconfigurationComplete", txid: 0},
	})
	checkNAS(t, s)
	return s
}

// nea0Steps is normalSteps with a SecurityModeCommand selecting nea0 (and
// nia2): nothing is ciphered afterwards.
func nea0Steps(t *testing.T) []step {
	s := normalSteps(t)
	s[5].PDU = rrctest.SecurityModeCommand(2, 0, 2)
	return s
}

// otherUESteps is tracetest.Normal for a second subscriber (another SUCI,
// another random value), offset by the given time.
func otherUESteps(t *testing.T, offset time.Duration) []step {
	s := normalSteps(t)
	register, _, _ := connectionNAS("0000000002")
	s[0].PDU = rrctest.RRCSetupRequest(0x13579bdf1, 3)
	s[2].PDU = rrctest.RRCSetupComplete(0, register)
	s[2].nas = register
	for i := range s {
		s[i].At += offset
	}
	return s
}

func named(t *testing.T, steps []tracetest.Step, want []step) []step {
	t.Helper()
	if len(steps) != len(want) {
		t.Fatalf("tracetest scenario has %d steps, the fixtures know %d: update formats_test.go", len(steps), len(want))
	}
	for i := range want {
		want[i].Step = steps[i]
	}
	return want
}

// checkNAS checks that the NAS PDUs the fixtures copy into NGAP are those
// the scenario's RRC messages carry.
func checkNAS(t *testing.T, s []step) {
	t.Helper()
	want := map[string][]byte{
		"RRCSetupComplete":      rrctest.RRCSetupComplete(0, s[2].nas),
		"DLInformationTransfer": rrctest.DLInformationTransfer(1, s[3].nas),
		"ULInformationTransfer": rrctest.ULInformationTransfer(s[4].nas),
	}
	for _, st := range s {
		if w, ok := want[st.name]; ok && !bytes.Equal(w, st.PDU) {
			t.Fatalf("%s of the tracetest scenario no longer carries the NAS PDU the fixtures copy into NGAP: update connectionNAS", st.name)
		}
	}
}

func ms(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

// ---------------------------------------------------------------------------
// What the ladder must show.

// msg is one arrow of a UE ladder as the fixtures check it.
type msg struct {
	Frame    int
	At       time.Duration // since tracetest.Start
	Protocol string
	From, To string
	Message  string // "" for a ciphered PDU
	Channel  string
	Bearer   string
	TxID     int
	Role     string
	PDCPSN   int
	Ciphered bool
	Cipher   string
	Retrans  []int
	Carrier  string // the F1AP message that carried it
}

// ueWant is one UE ladder.
type ueWant struct {
	Key      string
	IDs      []string
	Lanes    []string
	Outcome  string
	Messages []msg
}

// rrcMsg is the expected arrow of an RRC step on the UE/gNB lanes, with no
// PDCP.
func rrcMsg(s step, frame int) msg {
	m := msg{
		Frame: frame, At: s.At, Protocol: "NR-RRC", From: "gNB", To: "UE",
		Message: s.name, Channel: s.Channel.String(), TxID: s.txid, Role: s.role, PDCPSN: -1,
	}
	if uplink(s.Channel) {
		m.From, m.To = "UE", "gNB"
	}
	switch s.Channel {
	case rrc.ULCCCH, rrc.ULCCCH1, rrc.DLCCCH:
		m.Bearer = "SRB0"
	case rrc.ULDCCH, rrc.DLDCCH:
		m.Bearer = "SRB1"
	}
	return m
}

func uplink(ch rrc.Channel) bool { return ch == rrc.ULCCCH || ch == rrc.ULCCCH1 || ch == rrc.ULDCCH }

// gotUEs reads the UE ladders of a trace in the fixtures' terms.
func gotUEs(tr *ladder.Trace) []ueWant {
	var out []ueWant
	for _, u := range tr.UEs {
		w := ueWant{Key: u.Key, IDs: u.IDs, Lanes: u.Lanes, Outcome: u.Outcome}
		for _, m := range tr.Messages {
			if m.UE != u.Key {
				continue
			}
			g := msg{
				Frame: m.Frame, At: m.Time.Sub(tracetest.Start), Protocol: m.Protocol, From: m.From, To: m.To,
				Message: m.Message, Channel: m.Channel, Bearer: m.Bearer, TxID: -1, Role: m.Role, PDCPSN: -1,
				Ciphered: m.Ciphered, Cipher: m.Cipher, Retrans: m.RetransmissionFrames,
			}
			if m.TxID != nil {
				g.TxID = *m.TxID
			}
			if m.PDCPSN != nil {
				g.PDCPSN = *m.PDCPSN
			}
			if m.Carrier != nil {
				g.Carrier = tr.Messages[*m.Carrier].Message
			}
			if m.Retransmissions != len(m.RetransmissionFrames) {
				g.Retrans = append(slices.Clone(g.Retrans), -m.Retransmissions) // flags the mismatch
			}
			w.Messages = append(w.Messages, g)
		}
		out = append(out, w)
	}
	return out
}

// ---------------------------------------------------------------------------
// Capture building.

// capBuilder collects the packets of a capture, numbering frames as they
// are added.
type capBuilder struct {
	pkts []capturetest.Packet
}

// add appends a packet at the given time and returns its frame number.
func (b *capBuilder) add(at time.Duration, lt uint32, data []byte) int {
	b.pkts = append(b.pkts, capturetest.Packet{Time: tracetest.Start.Add(at), LinkType: lt, Data: data})
	return len(b.pkts)
}

// bytes writes a classic pcap when every packet has the same link type,
// else a pcapng with one interface per link type.
func (b *capBuilder) bytes() []byte {
	f := capturetest.File{Format: capturetest.Pcap, Packets: b.pkts}
	for i, p := range b.pkts {
		if i == 0 {
			f.LinkType = p.LinkType
		} else if p.LinkType != f.LinkType {
			f.Format = capturetest.Pcapng
		}
	}
	return f.Bytes()
}

// assoc is one SCTP association: TSNs and SSNs per direction.
type assoc struct {
	client, server netip.AddrPort
	ppid           uint32
	vtag           [2]uint32 // in packets from the client, from the server
	tsn            [2]uint32
	ssn            [2]uint16
}

func newAssoc(client, server netip.AddrPort, ppid uint32, seed uint32) *assoc {
	return &assoc{client: client, server: server, ppid: ppid,
		vtag: [2]uint32{0x51000000 + seed, 0x52000000 + seed}, tsn: [2]uint32{1000 * seed, 5000 * seed}}
}

// side indexes per-direction state: 0 for what the client (or the UE)
// sends, 1 for the other direction.
func side(fromClient bool) int {
	if fromClient {
		return 0
	}
	return 1
}

// data is the next DATA chunk of one direction holding a whole message.
func (a *assoc) data(fromClient bool, payload []byte) framingtest.Data {
	i := side(fromClient)
	d := framingtest.Whole(a.tsn[i], 0, a.ssn[i], a.ppid, payload)
	a.tsn[i]++
	a.ssn[i]++
	return d
}

// fragments is the next message of one direction split into DATA chunks of
// at most size bytes.
func (a *assoc) fragments(fromClient bool, payload []byte, size int) []framingtest.Data {
	i := side(fromClient)
	fs := framingtest.Whole(a.tsn[i], 0, a.ssn[i], a.ppid, payload).Fragments(size)
	a.tsn[i] += uint32(len(fs))
	a.ssn[i]++
	return fs
}

// sctp is an SCTP packet of one direction holding the chunks.
func (a *assoc) sctp(fromClient bool, chunks ...[]byte) (src, dst netip.AddrPort, seg []byte) {
	src, dst = a.client, a.server
	if !fromClient {
		src, dst = dst, src
	}
	return src, dst, framingtest.SCTP(src, dst, a.vtag[side(fromClient)], chunks...)
}

// ipPacket is an IP packet (IPv4 or IPv6 by the association's addresses)
// holding an SCTP packet of the chunks.
func (a *assoc) ipPacket(fromClient bool, chunks ...[]byte) []byte {
	src, dst, seg := a.sctp(fromClient, chunks...)
	return framingtest.IP(src.Addr(), dst.Addr(), framingtest.ProtoSCTP, seg)
}

func ethernet(ip []byte) []byte { return framingtest.Ethernet(ip) }

func chunks(ds ...framingtest.Data) [][]byte {
	var out [][]byte
	for _, d := range ds {
		out = append(out, d.Chunk())
	}
	return out
}

// keystream stands for NEA2: the PDU's bytes after the PDCP header XORed
// with a deterministic pseudo-random stream (the MAC-I too, as TS 33.501
// ciphers it), so that what tshark decodes of it is noise.
func keystream(pdcpPDU []byte, seed uint32) []byte {
	out := slices.Clone(pdcpPDU)
	x := seed*2654435761 + 1
	for i := 2; i < len(out); i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out[i] ^= byte(x)
	}
	return out
}

// ---------------------------------------------------------------------------
// F1AP and NGAP flows: the RRC steps carried between gNB-DU, gNB-CU and AMF.

var (
	f1UE   = aptest.F1UE{CU: 5, DU: 7}
	ngUE   = aptest.NGUE{AMF: 0x100000002, RAN: 3}
	plmn   = aptest.PLMN("001", "01")
	crnti  = uint16(0x4601)
	nci    = uint64(0x000bc614e)
	tac    = []byte{0, 0, 1}
	kgNB   = bytes.Repeat([]byte{0x5a}, 32)
	cellGC = rrctest.CellGroupConfig(0)
)

// apMsg is one F1AP or NGAP message of a flow.
type apMsg struct {
	at     time.Duration
	ng     bool // NGAP (gNB-CU ↔ AMF), else F1AP (gNB-DU ↔ gNB-CU)
	up     bool // from the gNB-DU (F1AP) or the gNB (NGAP)
	name   string
	pdu    []byte
	rrc    *step // the RRC message it carries
	pdcpSN int   // of that message on SRB1, -1 on SRB0
	// cipher: the carried PDU is ciphered under this algorithm.
	cipher string
	// bundle: sent in the same SCTP packet as the message before it.
	bundle bool
}

// flowOptions vary a flow.
type flowOptions struct {
	ng        bool // the N2 side too
	bundleSMF bool // UEContextSetupResponse and the SecurityModeFailure's ULRRCMessageTransfer in one SCTP packet
	// cipherAfter ciphers the SRB1 PDUs after this step (the
	// SecurityModeComplete), with algorithm cipher.
	cipherAfter   int
	cipher        string
	bigCapability []byte // CUtoDURRCInformation's UE capabilities in UEContextSetupRequest
	// releaseNoSRB leaves the SRB ID out of UEContextReleaseCommand (TS
	// 38.473 makes it conditional on the RRC container; some CUs omit it).
	releaseNoSRB bool
}

// f1Flow carries the steps over F1 (and N2): the RRC messages in the F1AP
// messages a gNB-CU and gNB-DU exchange for them, the NAS in NGAP.
func f1Flow(steps []step, o flowOptions) []apMsg {
	var out []apMsg
	cell := aptest.F1NRCGI(plmn, nci)
	loc := aptest.NGUserLocationNR(plmn, nci, tac)
	dlSN, ulSN := 0, 0
	for i := range steps {
		s := &steps[i]
		ciphered := o.cipher != "" && i > o.cipherAfter
		pdcp := func(sn int) []byte {
			b := aptest.PDCP(uint16(sn), s.PDU)
			if ciphered {
				b = keystream(b, uint32(i))
			}
			return b
		}
		carried := func(name string, pdu []byte, up bool, sn int) apMsg {
			m := apMsg{at: s.At, up: up, name: name, pdu: pdu, rrc: s, pdcpSN: sn}
			if ciphered && sn >= 0 {
				m.cipher = o.cipher
			}
			return m
		}
		ng := func(at time.Duration, up bool, name string, pdu []byte) {
			if o.ng {
				out = append(out, apMsg{at: at, ng: true, up: up, name: name, pdu: pdu, pdcpSN: -1})
			}
		}
		switch {
		case s.Channel == rrc.ULCCCH:
			out = append(out, carried("InitialULRRCMessageTransfer",
				aptest.F1InitialULRRCMessageTransfer(f1UE.DU, cell, crnti, s.PDU, cellGC), true, -1))
		case s.Channel == rrc.DLCCCH:
			out = append(out, carried("DLRRCMessageTransfer", aptest.F1DLRRCMessageTransfer(f1UE, 0, s.PDU), false, -1))
		case s.name == "SecurityModeCommand":
			ng(s.At-ms(5), false, "InitialContextSetupRequest",
				aptest.NGInitialContextSetupRequest(ngUE, plmn, aptest.NGSecurityCapabilities(0xe000, 0xe000, 0xe000, 0xe000), kgNB, nil))
			out = append(out, carried("UEContextSetupRequest",
				aptest.F1UEContextSetupRequest(f1UE, cell, o.bigCapability, pdcp(dlSN)), false, dlSN))
			dlSN++
			if !o.bundleSMF {
				out = append(out, apMsg{at: s.At + ms(2), up: true, name: "UEContextSetupResponse",
					pdu: aptest.F1UEContextSetupResponse(f1UE, cellGC, crnti), pdcpSN: -1})
			}
		case s.name == "RRCRelease":
			ng(s.At-ms(10), false, "UEContextReleaseCommand",
				aptest.NGUEContextReleaseCommand(ngUE, true, aptest.NGCause("radioNetwork", "unspecified")))
			release := aptest.F1UEContextReleaseCommand(f1UE, aptest.F1Cause("radioNetwork", "normal-release"), 1, pdcp(dlSN))
			if o.releaseNoSRB {
				release = aptest.F1AP.PDU("initiatingMessage", 6, "reject", "UEContextReleaseCommand",
					aptest.F1AP.IE(40, "reject", "GNB-CU-UE-F1AP-ID", aptest.Int("", int64(f1UE.CU))),
					aptest.F1AP.IE(41, "reject", "GNB-DU-UE-F1AP-ID", aptest.Int("", int64(f1UE.DU))),
					aptest.F1AP.IE(0, "ignore", "Cause", aptest.F1Cause("radioNetwork", "normal-release")),
					aptest.F1AP.IE(50, "ignore", "RRCContainer", aptest.Octets("", pdcp(dlSN))))
			}
			out = append(out, carried("UEContextReleaseCommand", release, false, dlSN))
			dlSN++
			out = append(out, apMsg{at: s.At + ms(2), up: true, name: "UEContextReleaseComplete",
				pdu: aptest.F1UEContextReleaseComplete(f1UE), pdcpSN: -1})
			ng(s.At+ms(3), true, "UEContextReleaseComplete", aptest.NGUEContextReleaseComplete(ngUE))
		case uplink(s.Channel):
			if s.name == "SecurityModeFailure" && o.bundleSMF {
				out = append(out, apMsg{at: s.At, up: true, name: "UEContextSetupResponse",
					pdu: aptest.F1UEContextSetupResponse(f1UE, cellGC, crnti), pdcpSN: -1})
			}
			m := carried("ULRRCMessageTransfer", aptest.F1ULRRCMessageTransfer(f1UE, 1, pdcp(ulSN)), true, ulSN)
			m.bundle = s.name == "SecurityModeFailure" && o.bundleSMF
			out = append(out, m)
			ulSN++
			switch s.name {
			case "RRCSetupComplete":
				ng(s.At+ms(0.2), true, "InitialUEMessage", aptest.NGInitialUEMessage(ngUE.RAN, s.nas, loc, "mo-Signalling"))
			case "ULInformationTransfer":
				ng(s.At+ms(0.2), true, "UplinkNASTransport", aptest.NGUplinkNASTransport(ngUE, s.nas, loc))
			case "SecurityModeFailure":
				ng(s.At+ms(0.4), true, "InitialContextSetupFailure", ngInitialContextSetupFailure(ngUE))
			}
		default:
			if s.name == "DLInformationTransfer" {
				ng(s.At-ms(0.3), false, "DownlinkNASTransport", aptest.NGDownlinkNASTransport(ngUE, s.nas))
			}
			out = append(out, carried("DLRRCMessageTransfer", aptest.F1DLRRCMessageTransfer(f1UE, 1, pdcp(dlSN)), false, dlSN))
			dlSN++
		}
	}
	slices.SortStableFunc(out, func(a, b apMsg) int { return int(a.at - b.at) })
	return out
}

// ngInitialContextSetupFailure is the gNB's answer to
// InitialContextSetupRequest when AS security could not be activated
// (aptest has no builder for it).
func ngInitialContextSetupFailure(ue aptest.NGUE) []byte {
	return aptest.NGAP.PDU("unsuccessfulOutcome", 14, "reject", "InitialContextSetupFailure",
		aptest.NGAP.IE(10, "ignore", "AMF-UE-NGAP-ID", aptest.Int("", int64(ue.AMF))),
		aptest.NGAP.IE(85, "ignore", "RAN-UE-NGAP-ID", aptest.Int("", int64(ue.RAN))),
		aptest.NGAP.IE(15, "ignore", "Cause", aptest.NGCause("radioNetwork", "unspecified")))
}

// apWants is the ladder of a flow whose messages completed in the given
// frames: F1AP and NGAP arrows on the gNB-DU, gNB-CU and AMF lanes, each
// RRC message next to its carrier (before it uplink, after it downlink).
func apWants(flow []apMsg, frames []int, ats []time.Duration) []msg {
	var out []msg
	for i, m := range flow {
		w := msg{Frame: frames[i], At: ats[i], Protocol: "F1AP", From: "gNB-CU", To: "gNB-DU", Message: m.name, TxID: -1, PDCPSN: -1}
		if m.up {
			w.From, w.To = w.To, w.From
		}
		if m.ng {
			w.Protocol, w.From, w.To = "NGAP", "AMF", "gNB-CU"
			if m.up {
				w.From, w.To = w.To, w.From
			}
		}
		if m.rrc == nil {
			out = append(out, w)
			continue
		}
		r := rrcMsg(*m.rrc, frames[i])
		r.At, r.Carrier, r.PDCPSN = ats[i], m.name, m.pdcpSN
		if r.From == "gNB" {
			r.From = "gNB-CU"
		} else {
			r.To = "gNB-CU"
		}
		if m.cipher != "" {
			r.Message, r.TxID, r.Role, r.Ciphered, r.Cipher = "", -1, "", true, m.cipher
		}
		if m.up {
			out = append(out, r, w)
		} else {
			out = append(out, w, r)
		}
	}
	return out
}

// f1Ends are the SCTP associations of a flow: gNB-DU → gNB-CU (F1-C) and
// gNB-CU → AMF (N2), IPv4 or IPv6.
func f1Ends(v6 bool) (f1, ng *assoc) {
	du, cu, amf := framingtest.DU, framingtest.CU, framingtest.AMF
	if v6 {
		du, cu, amf = framingtest.DU6, framingtest.CU6, framingtest.AMF6
	}
	f1 = newAssoc(netip.AddrPortFrom(du, 38472), netip.AddrPortFrom(cu, framingtest.PortF1AP), framingtest.PPIDF1AP, 1)
	ng = newAssoc(netip.AddrPortFrom(cu, 38412), netip.AddrPortFrom(amf, framingtest.PortNGAP), framingtest.PPIDNGAP, 2)
	return f1, ng
}

// sctpFlow writes a flow as one SCTP packet per message (two for a
// bundle), in an IP packet made by ip (nil: framingtest.IP) wrapped by
// link: the frames and times at which each message is complete.
func sctpFlow(b *capBuilder, flow []apMsg, f1, ng *assoc, lt uint32, ip func(src, dst netip.AddrPort, seg []byte) []byte, link func(ip []byte) []byte) (frames []int, ats []time.Duration) {
	if ip == nil {
		ip = func(src, dst netip.AddrPort, seg []byte) []byte {
			return framingtest.IP(src.Addr(), dst.Addr(), framingtest.ProtoSCTP, seg)
		}
	}
	for i := 0; i < len(flow); i++ {
		m := flow[i]
		a := f1
		if m.ng {
			a = ng
		}
		cs := chunks(a.data(m.up, m.pdu))
		n := 1
		if i+1 < len(flow) && flow[i+1].bundle {
			cs = append(cs, chunks(a.data(flow[i+1].up, flow[i+1].pdu))...)
			n = 2
		}
		f := b.add(m.at, lt, link(ip(a.sctp(m.up, cs...))))
		for range n {
			frames, ats = append(frames, f), append(ats, m.at)
		}
		i += n - 1
	}
	return frames, ats
}

// ---------------------------------------------------------------------------
// The fixtures.

// fixture is one capture and what its ladder must be.
type fixture struct {
	name string
	file []byte
	ues  []ueWant
	// warnings expected (frame and layer; the text is in the golden file).
	warnings []parse.Warning
	// skipped: the packets the parser must count as not read.
	skipped []parse.Skipped
	// tshark holds the options tshark needs to decode the capture; nil
	// when stock tshark 4.0 cannot (noTshark says why).
	tshark   []string
	noTshark string
	// bugs are known bugs of the product this fixture shows, by the check
	// that finds them ("ladder ue1", "warnings", "skipped", "failures"):
	// the expectation stays written, the check's differences are logged
	// and the test skips once every other check has passed.
	bugs map[string]string
}

// notSignalling is the Skipped entry for packets that carry nothing the
// parser reads (SCTP control chunks, RLS heartbeats).
func notSignalling(n, first, last int) parse.Skipped {
	return parse.Skipped{What: "packets without signalling (ARP, TCP, SCTP control, …)", Why: "not signalling", Packets: n, FirstFrame: first, LastFrame: last}
}

func smfUE(key string, ids []string, lanes []string, msgs []msg) ueWant {
	return ueWant{Key: key, IDs: ids, Lanes: lanes, Outcome: "failure", Messages: releaseRole(msgs)}
}

// releaseRole puts the release-after-failure role where the ladder puts
// it: on the first release after the SecurityModeFailure, whichever layer
// says it (RRCRelease, an F1AP or NGAP UEContextReleaseCommand or
// -Request), and on the RRCRelease an F1AP release command carries. With
// N2 in the capture, the AMF's UEContextReleaseCommand comes first and the
// RRCRelease keeps no role.
func releaseRole(msgs []msg) []msg {
	release := func(m msg) bool {
		if m.Protocol == "NR-RRC" {
			return m.Message == "RRCRelease"
		}
		return m.Message == "UEContextReleaseCommand" || m.Message == "UEContextReleaseRequest"
	}
	for i := range msgs {
		if msgs[i].Role == ladder.RoleReleaseAfterFailure {
			msgs[i].Role = ""
		}
	}
	failed := false
	for i := range msgs {
		m := &msgs[i]
		switch {
		case m.Message == "SecurityModeFailure":
			failed = true
		case failed && release(*m):
			// The release on every layer (NGAP, F1AP, the RRCRelease it
			// carries) until the context is released.
			marked := map[string]bool{}
			for j := i; j < len(msgs); j++ {
				if release(msgs[j]) && !marked[msgs[j].Protocol] {
					msgs[j].Role = ladder.RoleReleaseAfterFailure
					marked[msgs[j].Protocol] = true
				}
				if msgs[j].Message == "UEContextReleaseComplete" || j > i && msgs[j].Message == "RRCSetupRequest" {
					break
				}
			}
			return msgs
		}
	}
	return msgs
}

var (
	lanesRRC  = []string{"UE", "gNB"}
	lanesF1   = []string{"UE", "gNB-DU", "gNB-CU"}
	lanesF1NG = []string{"UE", "gNB-DU", "gNB-CU", "AMF"}
)

// 1. GSMTAP v3 NR RRC over UDP 4729 (Ethernet/IPv4), as SCAT writes the
// UE's view: plain RRC, no PDCP; the NAS SCAT also logs is counted.
func gsmtapFixture(t *testing.T) fixture {
	sub := map[rrc.Channel]uint16{
		rrc.ULCCCH: framingtest.GSMTAPULCCCH, rrc.DLCCCH: framingtest.GSMTAPDLCCCH,
		rrc.ULDCCH: framingtest.GSMTAPULDCCH, rrc.DLDCCH: framingtest.GSMTAPDLDCCH,
	}
	src := netip.MustParseAddrPort("127.0.0.1:37001")
	dst := netip.MustParseAddrPort("127.0.0.1:4729")
	var b capBuilder
	var msgs []msg
	for _, s := range smfSteps(t) {
		g := framingtest.GSMTAPv3(framingtest.GSMTAPNRRRC, sub[s.Channel], framingtest.SCATMeta(632628, 500), s.PDU)
		f := b.add(s.At, framingtest.LinkEthernet, framingtest.Ethernet(framingtest.UDPPacket(src, dst, g)))
		msgs = append(msgs, rrcMsg(s, f))
		if s.name == "RRCSetupComplete" {
			nas := framingtest.GSMTAPv3(framingtest.GSMTAPNAS5GS, 0, nil, s.nas)
			b.add(s.At+ms(0.1), framingtest.LinkEthernet, framingtest.Ethernet(framingtest.UDPPacket(src, dst, nas)))
		}
	}
	return fixture{
		name:     "gsmtap-v3",
		file:     b.bytes(),
		ues:      []ueWant{smfUE(ladder.DefaultUE, nil, lanesRRC, msgs)},
		warnings: []parse.Warning{{Frame: 4, Layer: "framing"}},
		skipped:  []parse.Skipped{{What: "nas-5gs messages", Why: "not supported yet", Packets: 1, FirstFrame: 4, LastFrame: 4}},
		noTshark: "stock tshark 4.0 does not decode GSMTAP version 3",
	}
}

// 2. QCSuper: raw IPv4 (link type 228), UDP 47928, Qualcomm NR RRC OTA
// logs (versions 12 and 17) of the UE.
func qcsuperFixture(t *testing.T) fixture {
	pduNumber := map[rrc.Channel]uint8{rrc.DLCCCH: 3, rrc.DLDCCH: 4, rrc.ULCCCH: 6, rrc.ULDCCH: 8}
	ep := netip.MustParseAddrPort("0.0.0.0:47928")
	var b capBuilder
	var msgs []msg
	for i, s := range smfSteps(t) {
		version := uint32(12)
		if i >= 4 {
			version = 17
		}
		f := b.add(s.At, framingtest.LinkIPv4, framingtest.UDPPacket(ep, ep, framingtest.QCSuper(version, pduNumber[s.Channel], s.PDU)))
		msgs = append(msgs, rrcMsg(s, f))
	}
	return fixture{
		name:     "qcsuper",
		file:     b.bytes(),
		ues:      []ueWant{smfUE(ladder.DefaultUE, nil, lanesRRC, msgs)},
		noTshark: "tshark decodes QCSuper's log packets only with QCSuper's Lua plug-in",
	}
}

// 3. rlc-nr framing over UDP (Ethernet/IPv4, srsRAN's ports): SRB0 in TM,
// SRB1 in AM with 12-bit SNs; RRCSetupComplete in three segments, the
// SecurityModeCommand's PDU sent again 5 ms later (an RLC retransmission),
// STATUS PDUs in between.
func rlcFixture(t *testing.T, repeatSegment bool) fixture {
	src := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), framingtest.PortMACSrc)
	dst := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), framingtest.PortMACDst)
	const ueid = 0x4601
	var b capBuilder
	add := func(at time.Duration, ul bool, bearerType, mode, snBits byte, pdu []byte) int {
		dir := byte(mactest.Downlink)
		if ul {
			dir = mactest.Uplink
		}
		bearerID := byte(1)
		if bearerType == mactest.BearerCCCH {
			bearerID = 0
		}
		return b.add(at, framingtest.LinkEthernet, framingtest.Ethernet(framingtest.UDPPacket(src, dst,
			mactest.RLCNR(mode, snBits, dir, ueid, bearerType, bearerID, pdu))))
	}
	var msgs []msg
	sn := [2]int{} // RLC and PDCP SN per direction (UL, DL)
	for _, s := range smfSteps(t) {
		ul := uplink(s.Channel)
		m := rrcMsg(s, 0)
		if s.Channel == rrc.ULCCCH || s.Channel == rrc.DLCCCH {
			m.Frame = add(s.At, ul, mactest.BearerCCCH, mactest.RLCTM, 0, s.PDU)
			msgs = append(msgs, m)
			continue
		}
		d := side(ul)
		pdcp := mactest.PDCPSRB(sn[d], s.PDU, nil)
		m.PDCPSN = sn[d]
		switch s.name {
		case "RRCSetupComplete":
			segs := mactest.AMSegments(sn[d], 12, pdcp, 10, 12)
			add(s.At-ms(1), ul, mactest.BearerSRB, mactest.RLCAM, 12, segs[0])
			if repeatSegment {
				// The first segment again, before the last: a
				// retransmission while the SDU is being reassembled.
				m.Retrans = []int{add(s.At-ms(0.6), ul, mactest.BearerSRB, mactest.RLCAM, 12, segs[0])}
			}
			add(s.At-ms(0.5), ul, mactest.BearerSRB, mactest.RLCAM, 12, segs[1])
			m.Frame = add(s.At, ul, mactest.BearerSRB, mactest.RLCAM, 12, segs[2])
			add(s.At+ms(1), !ul, mactest.BearerSRB, mactest.RLCAM, 12, mactest.AMStatus(sn[d]+1))
		case "SecurityModeCommand":
			pdu := mactest.AM(sn[d], 12, mactest.Full, 0, true, pdcp)
			m.Frame = add(s.At, ul, mactest.BearerSRB, mactest.RLCAM, 12, pdu)
			m.Retrans = []int{add(s.At+ms(5), ul, mactest.BearerSRB, mactest.RLCAM, 12, pdu)}
			add(s.At+ms(6), !ul, mactest.BearerSRB, mactest.RLCAM, 12, mactest.AMStatus(sn[d]+1))
		default:
			m.Frame = add(s.At, ul, mactest.BearerSRB, mactest.RLCAM, 12, mactest.AM(sn[d], 12, mactest.Full, 0, false, pdcp))
		}
		m.At = b.pkts[m.Frame-1].Time.Sub(tracetest.Start)
		sn[d]++
		msgs = append(msgs, m)
	}
	f := fixture{
		name:   "rlc-nr-udp",
		file:   b.bytes(),
		ues:    []ueWant{smfUE("ue1", []string{"C-RNTI 0x4601"}, lanesRRC, msgs)},
		tshark: []string{"--enable-heuristic", "rlc_nr_udp"},
	}
	if repeatSegment {
		f.name = "rlc-nr-udp-segment-repeated"
	}
	return f
}

// 4. mac-nr framing over UDP on a port nobody assigns (the framing is
// recognised by its "mac-nr" prefix), or (dlt149) srsRAN's user DLT 149
// with its fake UDP header: Msg3 and Msg4 on CCCH, SRB1 in RLC AM; the
// gNB sends the SecurityModeCommand and a UECapabilityEnquiry in one MAC
// PDU; the UE's SecurityModeFailure comes in two RLC segments in two MAC
// PDUs; an all-zero MAC PDU (OpenAirInterface's padding) carries nothing.
func macFixture(t *testing.T, dlt149 bool) fixture {
	src := netip.MustParseAddrPort("127.0.0.1:52001")
	dst := netip.MustParseAddrPort("127.0.0.1:52002")
	var b capBuilder
	add := func(at time.Duration, ul bool, pdu []byte) int {
		dir := byte(mactest.Downlink)
		if ul {
			dir = mactest.Uplink
		}
		framed := mactest.MACNR(true, mactest.TDD, dir, mactest.RNTIC,
			[][]byte{mactest.TagRNTI(crnti), mactest.TagUEID(1), mactest.TagFrameSlot(512, 7)}, pdu)
		if dlt149 {
			return b.add(at, 149, framingtest.UserDLTUDP(framingtest.PortMACSrc, framingtest.PortMACDst, framed))
		}
		return b.add(at, framingtest.LinkEthernet, framingtest.Ethernet(framingtest.UDPPacket(src, dst, framed)))
	}
	steps := smfSteps(t)
	capEnquiry := step{Step: tracetest.Step{At: steps[5].At, Channel: rrc.DLDCCH, PDU: rrctest.UECapabilityEnquiry(1)}, name: "UECapabilityEnquiry", txid: 1}
	var msgs []msg
	sn := [2]int{}
	srb1 := func(s step, si int, so int, data []byte) []byte {
		d := side(uplink(s.Channel))
		return mactest.SDU(1, mactest.AM(sn[d], 12, si, so, false, data))
	}
	for _, s := range steps {
		ul := uplink(s.Channel)
		d := side(ul)
		m := rrcMsg(s, 0)
		pdcp := mactest.PDCPSRB(sn[d], s.PDU, nil)
		switch s.name {
		case "RRCSetupRequest":
			m.Frame = add(s.At, true, mactest.PDU(mactest.ULCCCH(s.PDU), mactest.ShortBSR(0, 3), mactest.Padding(3)))
		case "RRCSetup":
			m.Frame = add(s.At, false, mactest.PDU(mactest.ContentionResolution(steps[0].PDU), mactest.DLCCCH(s.PDU), mactest.Padding(5)))
		case "SecurityModeCommand":
			m.PDCPSN = sn[d]
			first := srb1(s, mactest.Full, 0, pdcp)
			sn[d]++
			c := rrcMsg(capEnquiry, 0)
			c.PDCPSN = sn[d]
			second := srb1(capEnquiry, mactest.Full, 0, mactest.PDCPSRB(sn[d], capEnquiry.PDU, nil))
			m.Frame = add(s.At, false, mactest.PDU(first, second, mactest.Padding(2)))
			c.Frame = m.Frame
			msgs = append(msgs, m)
			m = c
		case "SecurityModeFailure":
			m.PDCPSN = sn[d]
			add(s.At-ms(0.5), true, mactest.PDU(srb1(s, mactest.First, 0, pdcp[:4]), mactest.Padding(2)))
			m.Frame = add(s.At, true, mactest.PDU(srb1(s, mactest.Last, 4, pdcp[4:]), mactest.ShortBSR(0, 0)))
			add(s.At+ms(4), true, make([]byte, 24)) // zero-filled: padding, not RRC
		default:
			m.PDCPSN = sn[d]
			m.Frame = add(s.At, ul, mactest.PDU(srb1(s, mactest.Full, 0, pdcp), mactest.Padding(4)))
		}
		if m.PDCPSN >= 0 {
			sn[d]++
		}
		msgs = append(msgs, m)
	}
	f := fixture{
		name:   "mac-nr-udp",
		file:   b.bytes(),
		ues:    []ueWant{smfUE("ue1", []string{"C-RNTI 0x4601"}, lanesRRC, msgs)},
		tshark: []string{"--enable-heuristic", "mac_nr_udp"},
	}
	if dlt149 {
		f.name = "mac-nr-dlt149"
		f.tshark = append(f.tshark, "-o", `uat:user_dlts:"User 2 (DLT=149)","udp","0","","0",""`)
	}
	return f
}

// 5. Linux SLL2 (link type 276), IPv4, SCTP F1AP between gNB-DU and
// gNB-CU, with SACKs and a HEARTBEAT in between.
func sll2Fixture(t *testing.T) fixture {
	flow := f1Flow(smfSteps(t), flowOptions{})
	f1, _ := f1Ends(false)
	var b capBuilder
	frames, ats := sctpFlow(&b, flow, f1, nil, framingtest.LinkLinuxSLL2, nil, framingtest.SLL2)
	// SCTP control packets after the last message.
	last := flow[len(flow)-1].at
	sack := b.add(last+ms(1), framingtest.LinkLinuxSLL2, framingtest.SLL2(f1.ipPacket(false, framingtest.SACK(f1.tsn[0]-1))))
	hb := b.add(last+ms(30), framingtest.LinkLinuxSLL2, framingtest.SLL2(f1.ipPacket(true, framingtest.Heartbeat())))
	return fixture{
		name:    "sll2-f1ap",
		file:    b.bytes(),
		skipped: []parse.Skipped{notSignalling(2, sack, hb)},
		ues:     []ueWant{smfUE("ue1", []string{"gNB-DU-UE-F1AP-ID 7", "gNB-CU-UE-F1AP-ID 5"}, lanesF1, apWants(flow, frames, ats))},
		tshark:  []string{},
	}
}

// 5b. sll2Fixture with a UEContextReleaseCommand that holds the RRCRelease
// but no SRB ID: the RRCRelease (a PDCP PDU, the UE being on SRB1) must
// still be shown, carried by it.
func sll2NoSRBFixture(t *testing.T) fixture {
	flow := f1Flow(smfSteps(t), flowOptions{releaseNoSRB: true})
	f1, _ := f1Ends(false)
	var b capBuilder
	frames, ats := sctpFlow(&b, flow, f1, nil, framingtest.LinkLinuxSLL2, nil, framingtest.SLL2)
	return fixture{
		name:   "sll2-f1ap-release-without-srbid",
		file:   b.bytes(),
		ues:    []ueWant{smfUE("ue1", []string{"gNB-DU-UE-F1AP-ID 7", "gNB-CU-UE-F1AP-ID 5"}, lanesF1, apWants(flow, frames, ats))},
		tshark: []string{},
	}
}

// 6. IPv6 with hop-by-hop and destination options headers (Ethernet),
// SCTP: F1AP between gNB-DU and gNB-CU and NGAP between gNB-CU and AMF;
// the gNB-DU's UEContextSetupResponse and the ULRRCMessageTransfer of the
// SecurityModeFailure travel as two DATA chunks of one SCTP packet.
func ipv6Fixture(t *testing.T) fixture {
	flow := f1Flow(smfSteps(t), flowOptions{ng: true, bundleSMF: true})
	f1, ng := f1Ends(true)
	var b capBuilder
	ip := func(src, dst netip.AddrPort, seg []byte) []byte {
		return framingtest.IPv6WithDestOpts(src.Addr(), dst.Addr(), framingtest.ProtoSCTP, seg)
	}
	frames, ats := sctpFlow(&b, flow, f1, ng, framingtest.LinkEthernet, ip, ethernet)
	return fixture{
		name: "ipv6-f1ap-ngap",
		file: b.bytes(),
		ues: []ueWant{smfUE("ue1", []string{"gNB-DU-UE-F1AP-ID 7", "gNB-CU-UE-F1AP-ID 5", "RAN-UE-NGAP-ID 3", "AMF-UE-NGAP-ID 4294967298"},
			lanesF1NG, apWants(flow, frames, ats))},
		tshark: []string{},
	}
}

// 7. IPv4 fragments and SCTP fragments (Ethernet, F1AP): the
// UEContextSetupRequest, made large by the UE's capabilities (2 000
// bytes), is one SCTP packet in two IPv4 fragments that arrive last one
// first; the DLRRCMessageTransfer of the DLInformationTransfer is three
// DATA chunks in three packets that arrive in the order 2, 1, 3.
func fragmentsFixture(t *testing.T) fixture {
	flow := f1Flow(smfSteps(t), flowOptions{bigCapability: ueCapabilityList(2000)})
	f1, _ := f1Ends(false)
	var b capBuilder
	lt := uint32(framingtest.LinkEthernet)
	var frames []int
	var ats []time.Duration
	for _, m := range flow {
		switch m.name {
		case "UEContextSetupRequest":
			src, dst, seg := f1.sctp(m.up, f1.data(m.up, m.pdu).Chunk())
			frags := framingtest.IPv4Fragments(src.Addr(), dst.Addr(), framingtest.ProtoSCTP, 0x4242, seg, 1480)
			if len(frags) != 2 {
				t.Fatalf("UEContextSetupRequest of %d bytes: %d IPv4 fragments, want 2", len(seg), len(frags))
			}
			b.add(m.at-ms(0.1), lt, framingtest.Ethernet(frags[1]))
			frames, ats = append(frames, b.add(m.at, lt, framingtest.Ethernet(frags[0]))), append(ats, m.at)
		case "DLRRCMessageTransfer":
			if m.rrc.name != "DLInformationTransfer" {
				frames, ats = append(frames, b.add(m.at, lt, framingtest.Ethernet(f1.ipPacket(m.up, f1.data(m.up, m.pdu).Chunk())))), append(ats, m.at)
				continue
			}
			fs := f1.fragments(m.up, m.pdu, 32)
			if len(fs) != 3 {
				t.Fatalf("DLRRCMessageTransfer of %d bytes: %d fragments, want 3", len(m.pdu), len(fs))
			}
			b.add(m.at-ms(0.2), lt, framingtest.Ethernet(f1.ipPacket(m.up, fs[1].Chunk())))
			b.add(m.at-ms(0.1), lt, framingtest.Ethernet(f1.ipPacket(m.up, fs[0].Chunk())))
			frames, ats = append(frames, b.add(m.at, lt, framingtest.Ethernet(f1.ipPacket(m.up, fs[2].Chunk())))), append(ats, m.at)
		default:
			frames, ats = append(frames, b.add(m.at, lt, framingtest.Ethernet(f1.ipPacket(m.up, f1.data(m.up, m.pdu).Chunk())))), append(ats, m.at)
		}
	}
	return fixture{
		name: "fragments-f1ap",
		file: b.bytes(),
		// Nothing to skip: every packet carries part of an F1AP message.
		ues:    []ueWant{smfUE("ue1", []string{"gNB-DU-UE-F1AP-ID 7", "gNB-CU-UE-F1AP-ID 5"}, lanesF1, apWants(flow, frames, ats))},
		tshark: []string{},
	}
}

// ueCapabilityList is a UE-CapabilityRAT-ContainerList (UPER) of about n
// bytes: one container, rat-Type nr, whose UE-NR-Capability is all zero
// bits (every optional field absent, every choice its first alternative)
// padded with zero octets.
func ueCapabilityList(n int) []byte {
	// SEQUENCE SIZE (0..8) OF: 4 bits = 1; item: RAT-Type extension bit 0
	// and nr (2 bits 00); OCTET STRING length n-3 as a two-octet
	// determinant 10xxxxxx xxxxxxxx; the octets (zeros) follow unaligned.
	// The first 7 bits are 0001 0 00; the determinant starts at bit 7.
	l := n - 3
	var bits uint64 = 0b0001000 // 7 bits
	bits = bits<<16 | 0x8000 | uint64(l)
	out := []byte{byte(bits >> 15), byte(bits >> 7), byte(bits << 1)} // 23 bits, then the zero octets
	return append(out, make([]byte, l)...)
}

// 8. F1AP and NGAP as Wireshark exported PDUs (link type 252, dissectors
// "f1ap" and "ngap"), or (userDLT) as srsRAN's user DLTs 154 (F1AP) and
// 152 (NGAP) in a pcapng with one interface each.
func exportedFixture(t *testing.T, userDLT bool) fixture {
	flow := f1Flow(smfSteps(t), flowOptions{ng: true})
	var b capBuilder
	var frames []int
	var ats []time.Duration
	for _, m := range flow {
		var f int
		switch {
		case userDLT && m.ng:
			f = b.add(m.at, 152, m.pdu)
		case userDLT:
			f = b.add(m.at, 154, m.pdu)
		case m.ng:
			f = b.add(m.at, framingtest.LinkExportedPDU, capturetest.ExportedPDU("ngap", m.pdu))
		default:
			f = b.add(m.at, framingtest.LinkExportedPDU, capturetest.ExportedPDUPadded("f1ap", m.pdu))
		}
		frames, ats = append(frames, f), append(ats, m.at)
	}
	fx := fixture{
		name: "exported-pdu-f1ap-ngap",
		file: b.bytes(),
		ues: []ueWant{smfUE("ue1", []string{"gNB-DU-UE-F1AP-ID 7", "gNB-CU-UE-F1AP-ID 5", "RAN-UE-NGAP-ID 3", "AMF-UE-NGAP-ID 4294967298"},
			lanesF1NG, apWants(flow, frames, ats))},
		tshark: []string{},
	}
	if userDLT {
		fx.name = "user-dlt-f1ap-ngap"
		fx.tshark = []string{
			"-o", `uat:user_dlts:"User 5 (DLT=152)","ngap","0","","0",""`,
			"-o", `uat:user_dlts:"User 7 (DLT=154)","f1ap","0","","0",""`,
		}
	}
	return fx
}

// 9. UERANSIM RLS (Ethernet, IPv4, UDP 4997): two UEs told apart by their
// addresses, one with the SecurityModeFailure, one whose security
// activation completes (RLS carries plain RRC: nothing is ciphered), with
// heartbeats.
func rlsFixture(t *testing.T) fixture {
	gnb := netip.MustParseAddrPort("10.100.200.1:4997")
	ues := []netip.AddrPort{netip.MustParseAddrPort("10.100.200.11:36412"), netip.MustParseAddrPort("10.100.200.12:41223")}
	stis := []uint64{0x1111222233334444, 0x5555666677778888}
	const gnbSTI = 0x0a0b0c0d0e0f1011
	channel := map[rrc.Channel]uint32{
		rrc.DLCCCH: framingtest.RLSDLCCCH, rrc.DLDCCH: framingtest.RLSDLDCCH,
		rrc.ULCCCH: framingtest.RLSULCCCH, rrc.ULDCCH: framingtest.RLSULDCCH,
	}
	type ev struct {
		ue int
		s  step
	}
	var evs []ev
	for _, s := range smfSteps(t) {
		evs = append(evs, ev{0, s})
	}
	for _, s := range otherUESteps(t, ms(20)) {
		evs = append(evs, ev{1, s})
	}
	slices.SortStableFunc(evs, func(a, b ev) int { return int(a.s.At - b.s.At) })
	var b capBuilder
	lt := uint32(framingtest.LinkEthernet)
	var heartbeats []int
	for i, ue := range ues {
		heartbeats = append(heartbeats, b.add(-ms(5)+ms(float64(i)), lt, framingtest.Ethernet(framingtest.UDPPacket(ue, gnb, framingtest.RLSHeartbeatMsg(stis[i])))))
	}
	msgs := make([][]msg, 2)
	var pduID uint32
	for _, e := range evs {
		pduID++
		src, dst, sti := gnb, ues[e.ue], uint64(gnbSTI)
		if uplink(e.s.Channel) {
			src, dst, sti = dst, src, stis[e.ue]
		}
		rls := framingtest.RLS(sti, framingtest.RLSRRC, pduID, channel[e.s.Channel], e.s.PDU)
		f := b.add(e.s.At, lt, framingtest.Ethernet(framingtest.UDPPacket(src, dst, rls)))
		msgs[e.ue] = append(msgs[e.ue], rrcMsg(e.s, f))
	}
	return fixture{
		name:    "rls-two-ues",
		file:    b.bytes(),
		skipped: []parse.Skipped{notSignalling(2, heartbeats[0], heartbeats[1])},
		ues: []ueWant{
			smfUE("ue1", []string{"UERANSIM UE 10.100.200.11:36412"}, lanesRRC, msgs[0]),
			{Key: "ue2", IDs: []string{"UERANSIM UE 10.100.200.12:41223"}, Lanes: lanesRRC, Outcome: "complete", Messages: msgs[1]},
		},
		noTshark: "stock tshark 4.0 has no RLS dissector",
	}
}

// 10. A pcapng of three interfaces, as mergecap makes it: F1AP on
// Ethernet, NGAP on Linux SLL2 (both IPv4/SCTP) and exported NR RRC
// (link type 252: the cell's MIB and a paging message), interleaved by
// time.
func mergedFixture(t *testing.T) fixture {
	flow := f1Flow(smfSteps(t), flowOptions{ng: true})
	f1, ng := f1Ends(false)
	var b capBuilder
	bcch := []struct {
		at     time.Duration
		ch     rrc.Channel
		pdu    []byte
		nm     string
		bearer string
	}{
		{ms(0.5), rrc.BCCHBCH, rrctest.MIB(rrctest.MIBFields{SystemFrameNumber: 1}), "MIB", "BCCH"},
		{ms(50), rrc.PCCH, rrctest.Paging(0x123456789a), "Paging", "PCCH"},
		{ms(80.5), rrc.BCCHBCH, rrctest.MIB(rrctest.MIBFields{SystemFrameNumber: 2}), "MIB", "BCCH"},
	}
	var common []msg
	var frames []int
	var ats []time.Duration
	for _, m := range flow {
		for len(bcch) > 0 && bcch[0].at < m.at {
			c := bcch[0]
			f := b.add(c.at, framingtest.LinkExportedPDU, capturetest.ExportedPDU(c.ch.Dissector(), c.pdu))
			common = append(common, msg{Frame: f, At: c.at, Protocol: "NR-RRC", From: "gNB", To: "UE", Message: c.nm, Channel: c.ch.String(), Bearer: c.bearer, TxID: -1, PDCPSN: -1})
			bcch = bcch[1:]
		}
		var f int
		if m.ng {
			f = b.add(m.at, framingtest.LinkLinuxSLL2, framingtest.SLL2(ng.ipPacket(m.up, chunks(ng.data(m.up, m.pdu))...)))
		} else {
			f = b.add(m.at, framingtest.LinkEthernet, framingtest.Ethernet(f1.ipPacket(m.up, chunks(f1.data(m.up, m.pdu))...)))
		}
		frames, ats = append(frames, f), append(ats, m.at)
	}
	return fixture{
		name: "pcapng-three-interfaces",
		file: b.bytes(),
		ues: []ueWant{
			smfUE("ue1", []string{"gNB-DU-UE-F1AP-ID 7", "gNB-CU-UE-F1AP-ID 5", "RAN-UE-NGAP-ID 3", "AMF-UE-NGAP-ID 4294967298"},
				lanesF1NG, apWants(flow, frames, ats)),
			{Key: ladder.CommonUE, Lanes: lanesRRC, Outcome: "never-started", Messages: common},
		},
		// The MIB and the paging message as MAC-NR gives them (bearers
		// "BCCH" and "PCCH", as Event.Bearer documents).
		tshark: []string{},
	}
}

// 11a. AS security over F1 (Ethernet, IPv4, SCTP): SecurityModeCommand
// with nea2 (or nea0) answered by SecurityModeComplete; the SRB1 PDUs
// after it are ciphered with nea2 and shown as such, never decoded, or
// with nea0 decoded as usual.
func securityF1Fixture(t *testing.T, nea0 bool) fixture {
	steps, o, name := normalSteps(t), flowOptions{cipherAfter: 6, cipher: "nea2"}, "security-nea2-f1ap"
	if nea0 {
		steps, o, name = nea0Steps(t), flowOptions{}, "security-nea0-f1ap"
	}
	flow := f1Flow(steps, o)
	f1, _ := f1Ends(false)
	var b capBuilder
	frames, ats := sctpFlow(&b, flow, f1, nil, framingtest.LinkEthernet, nil, ethernet)
	return fixture{
		name:   name,
		file:   b.bytes(),
		ues:    []ueWant{{Key: "ue1", IDs: []string{"gNB-DU-UE-F1AP-ID 7", "gNB-CU-UE-F1AP-ID 5"}, Lanes: lanesF1, Outcome: "complete", Messages: apWants(flow, frames, ats)}},
		tshark: []string{},
	}
}

// 11b. The same over MAC-NR (srsRAN's UDP ports, Ethernet, IPv4).
func securityMACFixture(t *testing.T, nea0 bool) fixture {
	steps, name := normalSteps(t), "security-nea2-mac-nr"
	if nea0 {
		steps, name = nea0Steps(t), "security-nea0-mac-nr"
	}
	src := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), framingtest.PortMACSrc)
	dst := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), framingtest.PortMACDst)
	var b capBuilder
	var msgs []msg
	sn := [2]int{}
	for i, s := range steps {
		ul := uplink(s.Channel)
		dir := byte(mactest.Downlink)
		if ul {
			dir = mactest.Uplink
		}
		m := rrcMsg(s, 0)
		var pdu []byte
		switch s.Channel {
		case rrc.ULCCCH:
			pdu = mactest.PDU(mactest.ULCCCH(s.PDU), mactest.Padding(2))
		case rrc.DLCCCH:
			pdu = mactest.PDU(mactest.ContentionResolution(steps[0].PDU), mactest.DLCCCH(s.PDU), mactest.Padding(2))
		default:
			d := side(ul)
			pdcp := mactest.PDCPSRB(sn[d], s.PDU, nil)
			if !nea0 && i > 6 {
				pdcp = keystream(pdcp, uint32(i))
				m.Message, m.TxID, m.Ciphered, m.Cipher = "", -1, true, "nea2"
			}
			m.PDCPSN = sn[d]
			pdu = mactest.PDU(mactest.SDU(1, mactest.AM(sn[d], 12, mactest.Full, 0, false, pdcp)), mactest.Padding(2))
			sn[d]++
		}
		m.Frame = b.add(s.At, framingtest.LinkEthernet, framingtest.Ethernet(framingtest.UDPPacket(src, dst, mactest.MACNRC(dir, crnti, pdu))))
		msgs = append(msgs, m)
	}
	return fixture{
		name:   name,
		file:   b.bytes(),
		ues:    []ueWant{{Key: "ue1", IDs: []string{"C-RNTI 0x4601"}, Lanes: lanesRRC, Outcome: "complete", Messages: msgs}},
		tshark: []string{"--enable-heuristic", "mac_nr_udp"},
	}
}

func fixtures(t *testing.T) []fixture {
	return []fixture{
		gsmtapFixture(t),
		qcsuperFixture(t),
		rlcFixture(t, false),
		rlcFixture(t, true),
		macFixture(t, false),
		macFixture(t, true),
		sll2Fixture(t),
		sll2NoSRBFixture(t),
		ipv6Fixture(t),
		fragmentsFixture(t),
		exportedFixture(t, false),
		exportedFixture(t, true),
		rlsFixture(t),
		mergedFixture(t),
		securityF1Fixture(t, false),
		securityF1Fixture(t, true),
		securityMACFixture(t, false),
		securityMACFixture(t, true),
	}
}

// ---------------------------------------------------------------------------
// The tests.

func parseFixture(t *testing.T, fx fixture) (*parse.Result, *ladder.Trace) {
	t.Helper()
	res, err := parse.Trace(bytes.NewReader(fx.file), parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res, ladder.Build(res, ladder.Options{})
}

// TestFormats parses every fixture and checks its ladders.
func TestFormats(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			res, tr := parseFixture(t, fx)
			errs := map[string][]string{} // by check
			errorf := func(check, format string, args ...any) {
				errs[check] = append(errs[check], fmt.Sprintf(format, args...))
			}
			got := gotUEs(tr)
			for i, want := range fx.ues {
				check := "ladder " + want.Key
				if i >= len(got) {
					errorf(check, "no such UE: the trace has %d", len(got))
					continue
				}
				if diff := cmp.Diff(want, got[i]); diff != "" {
					errorf(check, "UE ladder %d (-want +got):\n%s", i, diff)
				}
			}
			if len(got) > len(fx.ues) {
				errorf("ladder", "%d UE ladders, want %d: %+v", len(got), len(fx.ues), got[len(fx.ues):])
			}
			var gotW []parse.Warning
			for _, w := range res.Warnings {
				gotW = append(gotW, parse.Warning{Frame: w.Frame, Layer: w.Layer})
			}
			if diff := cmp.Diff(fx.warnings, gotW); diff != "" {
				errorf("warnings", "warnings (-want +got):\n%s\nall: %+v", diff, res.Warnings)
			}
			if diff := cmp.Diff(fx.skipped, res.Skipped); diff != "" {
				errorf("skipped", "skipped packets (-want +got):\n%s", diff)
			}
			// The failure branch: one per UE whose outcome is failure.
			want := 0
			for _, u := range fx.ues {
				if u.Outcome == "failure" {
					want++
				}
			}
			if len(tr.Failures) != want {
				errorf("failures", "%d failures, want %d: %+v", len(tr.Failures), want, tr.Failures)
			}
			for _, f := range tr.Failures {
				if f.Kind != ladder.FailureExplicit || f.Command == nil || f.Command.Message != "SecurityModeCommand" ||
					f.Response == nil || f.Response.Message != "SecurityModeFailure" || f.Release == nil ||
					f.TxIDMatch == nil || !*f.TxIDMatch || f.ResponseDelay == nil || *f.ResponseDelay != 12.4 {
					errorf("failures", "failure %+v: want an explicit failure 12.4 ms after the command, txids matching, a release after it", f)
				}
			}
			golden(t, fx.name+".golden", renderTrace(res, tr))
			reportChecks(t, errs, fx.bugs)
		})
	}
}

// reportChecks fails the test for the checks that found differences,
// except those a known bug explains: their differences are logged, and
// the test is skipped (saying which bugs) when nothing else failed. A known
// bug whose check passes is reported, so that it is taken off the list.
func reportChecks(t *testing.T, errs map[string][]string, bugs map[string]string) {
	t.Helper()
	var known []string
	for check, bug := range bugs {
		if len(errs[check]) == 0 {
			t.Errorf("known bug %q no longer shows in check %q: remove it from the fixture", bug, check)
			continue
		}
		t.Logf("KNOWN BUG (%s): %s\n%s", check, bug, strings.Join(errs[check], "\n"))
		known = append(known, bug)
		delete(errs, check)
	}
	checks := make([]string, 0, len(errs))
	for check := range errs {
		checks = append(checks, check)
	}
	slices.Sort(checks)
	for _, check := range checks {
		t.Errorf("%s: %s", check, strings.Join(errs[check], "\n"))
	}
	if len(known) > 0 && !t.Failed() {
		slices.Sort(known)
		t.Skip("KNOWN BUG: " + strings.Join(known, "; KNOWN BUG: "))
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "formats", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -run TestFormats -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", p, diff)
	}
}

// renderTrace prints a trace one UE ladder at a time, one line per arrow.
func renderTrace(res *parse.Result, tr *ladder.Trace) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format=%s linktypes=%v packets=%d events=%d\n", res.Format, res.LinkTypes, res.Packets, len(res.Events))
	for _, u := range tr.UEs {
		fmt.Fprintf(&b, "%s %q: %d messages, outcome %s, lanes %s, connections %d\n", u.Key, u.Label, u.Messages, u.Outcome, strings.Join(u.Lanes, " "), u.Connections)
		if len(u.IDs) > 0 {
			fmt.Fprintf(&b, "  ids: %s\n", strings.Join(u.IDs, ", "))
		}
		if u.Note != "" {
			fmt.Fprintf(&b, "  note: %s\n", u.Note)
		}
		for _, m := range tr.Messages {
			if m.UE != u.Key {
				continue
			}
			fmt.Fprintf(&b, "  frame %d %s %s %s→%s %s", m.Frame, ladder.RelTime(tr.Start, m.Time), m.Protocol, m.From, m.To, m.Label())
			if m.Channel != "" {
				fmt.Fprintf(&b, " %s", m.Channel)
			}
			if m.Bearer != "" {
				fmt.Fprintf(&b, " [%s]", m.Bearer)
			}
			if m.TxID != nil {
				fmt.Fprintf(&b, " txid=%d", *m.TxID)
			}
			if m.PDCPSN != nil && !m.Ciphered {
				fmt.Fprintf(&b, " pdcp-sn=%d", *m.PDCPSN)
			}
			if m.Carrier != nil {
				fmt.Fprintf(&b, " in=%s(frame %d)", tr.Messages[*m.Carrier].Message, tr.Messages[*m.Carrier].Frame)
			}
			if m.Role != "" {
				fmt.Fprintf(&b, " role=%s", m.Role)
			}
			if m.Retransmissions > 0 {
				fmt.Fprintf(&b, " retransmitted×%d %v", m.Retransmissions, m.RetransmissionFrames)
			}
			if m.Cause != "" {
				fmt.Fprintf(&b, " cause=%q", m.Cause)
			}
			if m.Error != "" {
				fmt.Fprintf(&b, " error=%q", m.Error)
			}
			if m.DecodeError != "" {
				fmt.Fprintf(&b, " decode-error=%q", m.DecodeError)
			}
			b.WriteString("\n")
		}
	}
	for _, f := range tr.Failures {
		fmt.Fprintf(&b, "failure %s: %s\n", f.UE, f.Summary)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(&b, "warning frame %d %s: %s\n", w.Frame, w.Layer, w.Error)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(&b, "skipped %s: %s: %d packets, frames %d-%d\n", s.What, s.Why, s.Packets, s.FirstFrame, s.LastFrame)
	}
	return b.String()
}

var zeroHex = regexp.MustCompile(`^(00)+$`)

// TestFormatsTshark compares, frame by frame, the NR RRC messages tshark
// shows in each fixture tshark can decode with ours (over MAC-NR, tshark's
// PDCP-NR follows the security mode as we do and leaves ciphered PDUs
// undecoded too). They must agree but where tshark is wrong: a ciphered
// PDU in an F1AP container (tshark decodes the ciphertext),
// an RLC retransmission (tshark shows the message again), zero-filled MAC
// padding (tshark decodes it as messages), an F1AP RRC container tshark
// 4.0 does not dissect. Each such frame is listed with its reason in
// testdata/formats/<fixture>.tshark.golden.
func TestFormatsTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed: differential test of the format fixtures SKIPPED (apt-get install tshark)")
	}
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			if fx.tshark == nil {
				t.Skipf("not compared with tshark: %s", fx.noTshark)
			}
			_, tr := parseFixture(t, fx)
			report, agree := compareTshark(t, fx, tr)
			if agree == 0 {
				t.Errorf("tshark and we agree on no message: is tshark decoding the capture at all?\n%s", report)
			}
			golden(t, fx.name+".tshark.golden", report)
		})
	}
}

func compareTshark(t *testing.T, fx fixture, tr *ladder.Trace) (string, int) {
	type ours struct {
		alt       string
		txid      int
		ciphered  bool
		retransOf int
		isRetrans bool
		carrier   string
	}
	byFrame := map[int][]ours{}
	for _, m := range tr.Messages {
		if m.Protocol != "NR-RRC" {
			continue
		}
		o := ours{alt: m.Alternative, txid: -1, ciphered: m.Ciphered}
		if m.TxID != nil {
			o.txid = *m.TxID
		}
		if m.Carrier != nil {
			o.carrier = tr.Messages[*m.Carrier].Message
		}
		byFrame[m.Frame] = append(byFrame[m.Frame], o)
		for _, f := range m.RetransmissionFrames {
			byFrame[f] = append(byFrame[f], ours{alt: m.Alternative, txid: o.txid, isRetrans: true, retransOf: m.Frame})
		}
	}
	var report strings.Builder
	agree, explained := 0, 0
	packets := tsharktest.PDML(t, fx.file, fx.tshark...)
	for i := range packets {
		pkt := &packets[i]
		frame := pkt.Frame()
		views, err := tsharktest.RRC(pkt)
		if err != nil {
			t.Errorf("frame %d: tshark: %v", frame, err)
		}
		got := byFrame[frame]
		delete(byFrame, frame)
		for j, v := range views {
			alt := v.Path[strings.LastIndex(v.Path, ".")+1:]
			var o *ours
			if j < len(got) {
				o = &got[j]
			}
			switch {
			case o != nil && !o.ciphered && !o.isRetrans && o.alt == alt && o.txid == v.TxID:
				agree++
				fmt.Fprintf(&report, "frame %d: %s txid %d\n", frame, alt, v.TxID)
			case o != nil && o.ciphered:
				explained++
				fmt.Fprintf(&report, "frame %d: tshark %s; ours ciphered: sent after AS security activation, tshark decodes the ciphertext\n", frame, alt)
			case o != nil && o.isRetrans && o.alt == alt && o.txid == v.TxID:
				explained++
				fmt.Fprintf(&report, "frame %d: tshark %s; ours RLC retransmission of frame %d, shown once\n", frame, alt, o.retransOf)
			case o == nil && zeroHex.MatchString(tsharktest.RRCHex(pkt, j)):
				explained++
				fmt.Fprintf(&report, "frame %d: tshark %s; ours padding: zero-filled MAC bytes, not a message\n", frame, alt)
			default:
				ourAlt := "nothing"
				if o != nil {
					ourAlt = fmt.Sprintf("%s txid %d", o.alt, o.txid)
				}
				t.Errorf("frame %d message %d: tshark %s txid %d, ours %s: unexplained difference", frame, j+1, alt, v.TxID, ourAlt)
				fmt.Fprintf(&report, "frame %d: tshark %s txid %d; ours %s: UNEXPLAINED\n", frame, alt, v.TxID, ourAlt)
			}
		}
		for _, o := range got[min(len(views), len(got)):] {
			what := o.alt
			if o.ciphered {
				what = "ciphered PDU"
			}
			if c := pkt.Find("pdcp-nr.security-config.ciphering"); o.ciphered && c != nil {
				agree++ // tshark's PDCP-NR follows the security mode too and decodes nothing
				fmt.Fprintf(&report, "frame %d: ciphered PDU, not decoded (tshark: %s, not decoded)\n", frame, c.Showname)
				continue
			}
			if len(views) == 0 && o.carrier != "" {
				explained++
				fmt.Fprintf(&report, "frame %d: tshark nothing; ours %s: tshark 4.0 does not dissect the RRC container of F1AP %s\n", frame, what, o.carrier)
				continue
			}
			if len(views) == 0 && o.isRetrans {
				agree++ // a repeated RLC segment: neither shows a message in its frame
				fmt.Fprintf(&report, "frame %d: repeated RLC segment of the message of frame %d: counted as its retransmission, no message (tshark: none)\n", frame, o.retransOf)
				continue
			}
			t.Errorf("frame %d: ours %s, tshark shows nothing", frame, what)
			fmt.Fprintf(&report, "frame %d: tshark nothing; ours %s: UNEXPLAINED\n", frame, what)
		}
	}
	for f, o := range byFrame {
		t.Errorf("frame %d: ours %v, tshark has no such frame", f, o)
	}
	fmt.Fprintf(&report, "agree: %d messages; tshark wrong (listed above): %d\n", agree, explained)
	return report.String(), agree
}
