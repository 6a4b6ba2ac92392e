package nas_test

import (
	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse/nas"
)

// view is what the tests check of a decoded message besides its IE tree
// (which the golden files hold).
type view struct {
	Summary              string
	Name                 string
	Type                 byte
	SecurityHeader       int
	SequenceNumber       int
	Ciphered             bool
	PDUSessionID         int
	PTI                  int
	Identities           []nas.Identity
	UESecurityCapability *nas.SecurityCapability
	Algorithms           *nas.Algorithms
	NgKSI                *nas.KeySetID
	RegistrationType     int
	FollowOnRequest      bool
	MMCause              int
	SMCause              int
	PayloadContainerType int
	Payload              *view
	Contained            *view
	Notes                []string
}

func viewOf(m *nas.Message) *view {
	if m == nil {
		return nil
	}
	return &view{
		Summary: m.Summary(), Name: m.Name, Type: m.Type, SecurityHeader: m.SecurityHeader,
		SequenceNumber: m.SequenceNumber, Ciphered: m.Ciphered, PDUSessionID: m.PDUSessionID, PTI: m.PTI,
		Identities: m.Identities, UESecurityCapability: m.UESecurityCapability, Algorithms: m.Algorithms,
		NgKSI: m.NgKSI, RegistrationType: m.RegistrationType, FollowOnRequest: m.FollowOnRequest,
		MMCause: m.MMCause, SMCause: m.SMCause, PayloadContainerType: m.PayloadContainerType,
		Payload: viewOf(m.Payload), Contained: viewOf(m.Contained), Notes: m.Notes,
	}
}

// builder is one nastest PDU with the options to decode it and what the
// decoding must give.
type builder struct {
	name string
	pdu  []byte
	opts nas.Options
	want view
}

var (
	unknownAlg = nas.Options{CipheringAlgorithm: -1}
	nullAlg    = nas.Options{CipheringAlgorithm: 0}

	suciNull   = nastest.SUCI(nastest.MCC, nastest.MNC, nastest.RoutingIndicator, nastest.MSIN)
	guti       = nastest.GUTI(nastest.MCC, nastest.MNC, nastest.AMFRegionID, nastest.AMFSetID, nastest.AMFPointer, nastest.TMSI)
	stmsi      = nastest.STMSI(nastest.AMFSetID, nastest.AMFPointer, nastest.TMSI)
	regRequest = nastest.RegistrationRequest(suciNull, 0xf0, 0xf0)
	rand       = [16]byte{0x5a, 0x1d, 0x3c, 0x0e, 0x91, 0x22, 0x47, 0x8b, 0x06, 0xe1, 0x7f, 0x30, 0xc4, 0x58, 0x9a, 0x2b}
	autn       = [16]byte{0xd7, 0x33, 0x8e, 0x01, 0x80, 0x00, 0x4b, 0x61, 0x9c, 0x2e, 0x05, 0xf8, 0x13, 0x77, 0xaa, 0x40}
	resStar    = [16]byte{0x2c, 0x91, 0xe0, 0x4a, 0x77, 0x18, 0x3b, 0xd5, 0x60, 0x0f, 0xa2, 0x9e, 0x41, 0xc8, 0x03, 0x6d}
	auts       = []byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee}
	eccOutput  = append(make([]byte, 32), 0xde, 0xad, 0xbe, 0xef, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08)
	suciNAI    = "type0.rid678.schid0.userid0001@nai.5gc.mnc001.mcc001.3gppnetwork.org"

	ueCap = &nas.SecurityCapability{EA: 0xf0, IA: 0xf0, EPS: true, EEA: 0xf0, EIA: 0x70}
)

// Identities as the builders write them, at the byte spans given.
func suciID(ie string, start int) nas.Identity {
	return nas.Identity{Type: nas.SUCI, IE: ie, Value: "suci-0-001-01-0000-0-0-0000000001", Digits: "0000000001",
		MCC: "001", MNC: "01", RoutingIndicator: "0000", SchemeOutput: []byte{0x00, 0x00, 0x00, 0x00, 0x10},
		Start: start, End: start + 13}
}

func gutiID(ie string, start int) nas.Identity {
	return nas.Identity{Type: nas.GUTI5G, IE: ie,
		Value: "MCC 001, MNC 01, AMF region ID 202, AMF set ID 1009, AMF pointer 1, 5G-TMSI 0xc0ffee01",
		MCC:   "001", MNC: "01", AMFRegionID: 202, AMFSetID: 1009, AMFPointer: 1, TMSI: 0xc0ffee01,
		Start: start, End: start + 11}
}

func imeisvID(ie string, start int) nas.Identity {
	return nas.Identity{Type: nas.IMEISV, IE: ie, Value: nastest.IMEISVDigits, Digits: nastest.IMEISVDigits, Start: start, End: start + 9}
}

func builders() []builder {
	regReqView := func(start int) *view {
		return &view{Summary: "Registration request", Name: "Registration request", Type: 0x41, SequenceNumber: -1,
			PDUSessionID: -1, PTI: -1, Identities: []nas.Identity{suciID("5GS mobile identity", start+6)},
			UESecurityCapability: ueCap, NgKSI: &nas.KeySetID{Value: 7}, RegistrationType: 1, FollowOnRequest: true}
	}
	smReq := nastest.PDUSessionEstablishmentRequest(1, 1)
	smReqView := &view{Summary: "PDU session establishment request", Name: "PDU session establishment request", Type: 0xc1,
		SequenceNumber: -1, PDUSessionID: 1, PTI: 1}
	return []builder{
		{name: "Registration request SUCI null scheme", pdu: regRequest, opts: unknownAlg, want: *regReqView(0)},
		{name: "Authentication request", pdu: nastest.AuthenticationRequest(1, rand, autn), opts: unknownAlg,
			want: view{Summary: "Authentication request", Name: "Authentication request", Type: 0x56, SequenceNumber: -1,
				PDUSessionID: -1, PTI: -1, NgKSI: &nas.KeySetID{Value: 1}}},
		{name: "Authentication response", pdu: nastest.AuthenticationResponse(resStar), opts: unknownAlg,
			want: view{Summary: "Authentication response", Name: "Authentication response", Type: 0x57, SequenceNumber: -1, PDUSessionID: -1, PTI: -1}},
		{name: "Authentication failure synch failure", pdu: nastest.AuthenticationFailure(21, auts), opts: unknownAlg,
			want: view{Summary: "Authentication failure (Synch failure)", Name: "Authentication failure", Type: 0x59, SequenceNumber: -1,
				PDUSessionID: -1, PTI: -1, MMCause: 21}},
		{name: "Authentication reject", pdu: nastest.AuthenticationReject(), opts: unknownAlg,
			want: view{Summary: "Authentication reject", Name: "Authentication reject", Type: 0x58, SequenceNumber: -1, PDUSessionID: -1, PTI: -1}},
		{name: "Security mode command type 3", pdu: nastest.ProtectedSecurityModeCommand(2, 2, 1, 0xf0, 0xf0), opts: unknownAlg,
			want: view{Summary: "Security mode command", Name: "Security mode command", Type: 0x5d, SecurityHeader: 3,
				PDUSessionID: -1, PTI: -1, UESecurityCapability: ueCap, Algorithms: &nas.Algorithms{Ciphering: 2, Integrity: 2},
				NgKSI: &nas.KeySetID{Value: 1}}},
		{name: "Security mode complete type 4 ciphered", pdu: nastest.ProtectedSecurityModeComplete(nastest.IMEISVDigits, regRequest, true),
			opts: unknownAlg,
			want: view{Summary: "ciphered NAS", SecurityHeader: 4, Ciphered: true, PDUSessionID: -1, PTI: -1}},
		{name: "Security mode complete type 4 5G-EA0", pdu: nastest.ProtectedSecurityModeComplete(nastest.IMEISVDigits, regRequest, false),
			opts: nullAlg,
			want: view{Summary: "Security mode complete", Name: "Security mode complete", Type: 0x5e, SecurityHeader: 4,
				PDUSessionID: -1, PTI: -1, Identities: []nas.Identity{imeisvID("IMEISV", 13)}, Contained: regReqView(25)}},
		{name: "Security mode reject", pdu: nastest.SecurityModeReject(23), opts: unknownAlg,
			want: view{Summary: "Security mode reject (UE security capabilities mismatch)", Name: "Security mode reject", Type: 0x5f,
				SequenceNumber: -1, PDUSessionID: -1, PTI: -1, MMCause: 23}},
		{name: "Registration accept 5G-GUTI", pdu: nastest.RegistrationAccept(guti), opts: unknownAlg,
			want: view{Summary: "Registration accept", Name: "Registration accept", Type: 0x42, SequenceNumber: -1,
				PDUSessionID: -1, PTI: -1, Identities: []nas.Identity{gutiID("5G-GUTI", 8)}}},
		{name: "Registration accept type 2 ciphered", pdu: nastest.Protect(2, 0x01020304, 1, nastest.Cipher(nastest.RegistrationAccept(guti))),
			opts: nas.Options{CipheringAlgorithm: 2},
			want: view{Summary: "ciphered NAS", SecurityHeader: 2, SequenceNumber: 1, Ciphered: true, PDUSessionID: -1, PTI: -1}},
		{name: "Registration complete", pdu: nastest.Protect(2, 0x0a0b0c0d, 1, nastest.RegistrationComplete()), opts: nullAlg,
			want: view{Summary: "Registration complete", Name: "Registration complete", Type: 0x43, SecurityHeader: 2, SequenceNumber: 1,
				PDUSessionID: -1, PTI: -1}},
		{name: "Registration reject 5GS services not allowed", pdu: nastest.RegistrationReject(7), opts: unknownAlg,
			want: view{Summary: "Registration reject (5GS services not allowed)", Name: "Registration reject", Type: 0x44,
				SequenceNumber: -1, PDUSessionID: -1, PTI: -1, MMCause: 7}},
		{name: "Identity request SUCI", pdu: nastest.IdentityRequest(1), opts: unknownAlg,
			want: view{Summary: "Identity request", Name: "Identity request", Type: 0x5b, SequenceNumber: -1, PDUSessionID: -1, PTI: -1}},
		{name: "Identity response IMEISV", pdu: nastest.IdentityResponse(nastest.IMEISV(nastest.IMEISVDigits)), opts: unknownAlg,
			want: view{Summary: "Identity response", Name: "Identity response", Type: 0x5c, SequenceNumber: -1, PDUSessionID: -1, PTI: -1,
				Identities: []nas.Identity{imeisvID("Mobile identity", 5)}}},
		{name: "Identity response IMEI", pdu: nastest.IdentityResponse(nastest.IMEI("353490069873301")), opts: unknownAlg,
			want: view{Summary: "Identity response", Name: "Identity response", Type: 0x5c, SequenceNumber: -1, PDUSessionID: -1, PTI: -1,
				Identities: []nas.Identity{{Type: nas.IMEI, IE: "Mobile identity", Value: "353490069873301", Digits: "353490069873301", Start: 5, End: 13}}}},
		{name: "Identity response SUCI ECIES profile A", pdu: nastest.IdentityResponse(nastest.SUCIProfileA("208", "93", "1234", 3, eccOutput)),
			opts: unknownAlg,
			want: view{Summary: "Identity response", Name: "Identity response", Type: 0x5c, SequenceNumber: -1, PDUSessionID: -1, PTI: -1,
				Identities: []nas.Identity{{Type: nas.SUCI, IE: "Mobile identity",
					Value: "suci-0-208-93-1234-1-3-" + hexOf(eccOutput), MCC: "208", MNC: "93", RoutingIndicator: "1234",
					ProtectionScheme: 1, HomeNetworkPublicKeyID: 3, SchemeOutput: eccOutput, Start: 5, End: 5 + 8 + len(eccOutput)}}}},
		{name: "Identity response SUCI NAI", pdu: nastest.IdentityResponse(nastest.SUCINAI(suciNAI)), opts: unknownAlg,
			want: view{Summary: "Identity response", Name: "Identity response", Type: 0x5c, SequenceNumber: -1, PDUSessionID: -1, PTI: -1,
				Identities: []nas.Identity{{Type: nas.SUCI, IE: "Mobile identity", Value: suciNAI, SUPIFormat: 1, NAI: suciNAI,
					Start: 5, End: 6 + len(suciNAI)}}}},
		{name: "Identity response MAC address", pdu: nastest.IdentityResponse(nastest.MAC([6]byte{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30})), opts: unknownAlg,
			want: view{Summary: "Identity response", Name: "Identity response", Type: 0x5c, SequenceNumber: -1, PDUSessionID: -1, PTI: -1,
				Identities: []nas.Identity{{Type: nas.MACAddress, IE: "Mobile identity", Value: "02:00:5e:10:20:30",
					Address: []byte{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30}, Start: 5, End: 12}}}},
		{name: "Identity response EUI-64", pdu: nastest.IdentityResponse(nastest.EUI64([8]byte{0x02, 0x00, 0x5e, 0xff, 0xfe, 0x10, 0x20, 0x30})), opts: unknownAlg,
			want: view{Summary: "Identity response", Name: "Identity response", Type: 0x5c, SequenceNumber: -1, PDUSessionID: -1, PTI: -1,
				Identities: []nas.Identity{{Type: nas.EUI64, IE: "Mobile identity", Value: "02:00:5e:ff:fe:10:20:30",
					Address: []byte{0x02, 0x00, 0x5e, 0xff, 0xfe, 0x10, 0x20, 0x30}, Start: 5, End: 14}}}},
		{name: "Identity response no identity", pdu: nastest.IdentityResponse(nastest.NoIdentity()), opts: unknownAlg,
			want: view{Summary: "Identity response", Name: "Identity response", Type: 0x5c, SequenceNumber: -1, PDUSessionID: -1, PTI: -1,
				Identities: []nas.Identity{{Type: nas.NoIdentity, IE: "Mobile identity", Value: "no identity", Start: 5, End: 6}}}},
		{name: "Service request 5G-S-TMSI type 1", pdu: nastest.Protect(1, 0xfeedbeef, 5, nastest.ServiceRequest(1, 2, stmsi)), opts: unknownAlg,
			want: view{Summary: "Service request", Name: "Service request", Type: 0x4c, SecurityHeader: 1, SequenceNumber: 5,
				PDUSessionID: -1, PTI: -1, NgKSI: &nas.KeySetID{Value: 2},
				Identities: []nas.Identity{{Type: nas.STMSI5G, IE: "5G-S-TMSI",
					Value:    "AMF set ID 1009, AMF pointer 1, 5G-TMSI 0xc0ffee01",
					AMFSetID: 1009, AMFPointer: 1, TMSI: 0xc0ffee01, Start: 13, End: 20}}}},
		{name: "Service accept", pdu: nastest.ServiceAccept(), opts: unknownAlg,
			want: view{Summary: "Service accept", Name: "Service accept", Type: 0x4e, SequenceNumber: -1, PDUSessionID: -1, PTI: -1}},
		{name: "Service reject", pdu: nastest.ServiceReject(9), opts: unknownAlg,
			want: view{Summary: "Service reject (UE identity cannot be derived by the network)", Name: "Service reject", Type: 0x4d,
				SequenceNumber: -1, PDUSessionID: -1, PTI: -1, MMCause: 9}},
		{name: "UL NAS transport PDU session establishment request", pdu: nastest.ULNASTransport(1, smReq), opts: unknownAlg,
			want: view{Summary: "UL NAS transport (PDU session establishment request)", Name: "UL NAS transport", Type: 0x67,
				SequenceNumber: -1, PDUSessionID: 1, PTI: -1, PayloadContainerType: 1, Payload: smReqView}},
		{name: "UL NAS transport type 2 5G-EA0", pdu: nastest.Protect(2, 0x11223344, 2, nastest.ULNASTransport(1, smReq)), opts: nullAlg,
			want: view{Summary: "UL NAS transport (PDU session establishment request)", Name: "UL NAS transport", Type: 0x67,
				SecurityHeader: 2, SequenceNumber: 2, PDUSessionID: 1, PTI: -1, PayloadContainerType: 1, Payload: smReqView}},
		{name: "DL NAS transport PDU session release command", pdu: nastest.DLNASTransport(1, nastest.PDUSessionReleaseCommand(1, 0, 36)), opts: unknownAlg,
			want: view{Summary: "DL NAS transport (PDU session release command)", Name: "DL NAS transport", Type: 0x68,
				SequenceNumber: -1, PDUSessionID: 1, PTI: -1, PayloadContainerType: 1,
				Payload: &view{Summary: "PDU session release command (Regular deactivation)", Name: "PDU session release command", Type: 0xd3,
					SequenceNumber: -1, PDUSessionID: 1, PTI: 0, SMCause: 36}}},
		{name: "Deregistration request UE originating switch off", pdu: nastest.DeregistrationRequest(true, 1, guti), opts: unknownAlg,
			want: view{Summary: "Deregistration request (UE originating)", Name: "Deregistration request (UE originating)", Type: 0x45,
				SequenceNumber: -1, PDUSessionID: -1, PTI: -1, NgKSI: &nas.KeySetID{Value: 1},
				Identities: []nas.Identity{gutiID("5GS mobile identity", 6)}}},
		{name: "Deregistration request UE terminated", pdu: nastest.DeregistrationRequestUETerminated(3), opts: unknownAlg,
			want: view{Summary: "Deregistration request (UE terminated) (Illegal UE)", Name: "Deregistration request (UE terminated)", Type: 0x47,
				SequenceNumber: -1, PDUSessionID: -1, PTI: -1, MMCause: 3}},
		{name: "Configuration update command", pdu: nastest.ConfigurationUpdateCommand(guti), opts: unknownAlg,
			want: view{Summary: "Configuration update command", Name: "Configuration update command", Type: 0x54, SequenceNumber: -1,
				PDUSessionID: -1, PTI: -1, Identities: []nas.Identity{gutiID("5G-GUTI", 7)}}},
		{name: "5GMM status", pdu: nastest.Status5GMM(111), opts: unknownAlg,
			want: view{Summary: "5GMM status (Protocol error, unspecified)", Name: "5GMM status", Type: 0x64, SequenceNumber: -1,
				PDUSessionID: -1, PTI: -1, MMCause: 111}},
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		out = append(out, digits[x>>4], digits[x&0x0f])
	}
	return string(out)
}
