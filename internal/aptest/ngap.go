package aptest

import (
	"github.com/nrladder/nrladder/internal/parse/ngap"
	"github.com/nrladder/nrladder/internal/parse/per"
)

// NGDecoder is package ngap's decoder under test.
var NGDecoder = &Decoder[ngap.Message]{
	Proto:         "ngap",
	PPID:          PPIDNGAP,
	TsharkOptions: []string{"-o", UserDLT152},
	Protocol:      NGAP,
	Decode:        ngap.Decode,
	Procedure:     ngap.Procedure,
	IEName:        ngap.IEName,
	IEType:        ngap.IEType,
	View: func(m *ngap.Message) Decoded {
		return Decoded{Procedure: m.Procedure, Name: m.Name, Outcome: m.Outcome, Code: m.ProcedureCode,
			ASN1: m.ASN1, Lines: m.Lines, Undecoded: m.Undecoded, Trailing: m.Trailing, Value: m.Value}
	},
	IsError: isError[*ngap.Error],
}

// NGUE is a UE's pair of NGAP ids.
type NGUE struct {
	AMF uint64 // AMF-UE-NGAP-ID (40 bits)
	RAN uint32 // RAN-UE-NGAP-ID
}

// NGCause is an NGAP Cause value: group "radioNetwork", "transport",
// "nas", "protocol" or "misc", and the cause ("user-inactivity").
func NGCause(group, cause string) per.Value { return Choice("", Enum(group, cause)) }

// NGUserLocationNR is an NR UserLocationInformation value: the cell and
// its tracking area code (3 octets).
func NGUserLocationNR(plmn []byte, nci uint64, tac []byte) per.Value {
	return Choice("", Seq("userLocationInformationNR",
		Seq("nR-CGI", Octets("pLMNIdentity", plmn), Bits("nRCellIdentity", NCI(nci), 36)),
		Seq("tAI", Octets("pLMNIdentity", plmn), Octets("tAC", tac))))
}

// NGSNSSAI is an S-NSSAI value with an SST and, unless nil, an SD.
func NGSNSSAI(name string, sst byte, sd []byte) per.Value {
	if sd == nil {
		return Seq(name, Octets("sST", []byte{sst}))
	}
	return Seq(name, Octets("sST", []byte{sst}), Octets("sD", sd))
}

// NGSecurityCapabilities is a UESecurityCapabilities value from the four
// 16-bit maps (0x8000: the first algorithm after the null one).
func NGSecurityCapabilities(nea, nia, eea, eia uint16) per.Value {
	b := func(name string, v uint16) per.Value { return Bits(name, []byte{byte(v >> 8), byte(v)}, 16) }
	return Seq("",
		b("nRencryptionAlgorithms", nea), b("nRintegrityProtectionAlgorithms", nia),
		b("eUTRAencryptionAlgorithms", eea), b("eUTRAintegrityProtectionAlgorithms", eia))
}

func ngids(ue NGUE) []per.Value {
	return []per.Value{
		NGAP.IE(10, "reject", "AMF-UE-NGAP-ID", Int("", int64(ue.AMF))),
		NGAP.IE(85, "reject", "RAN-UE-NGAP-ID", Int("", int64(ue.RAN))),
	}
}

// NGInitialUEMessage is the gNB's InitialUEMessage: the NAS PDU, the
// location, the RRC establishment cause ("mo-Signalling") and
// UEContextRequest. extra IE fields follow.
func NGInitialUEMessage(ran uint32, nas []byte, location per.Value, cause string, extra ...per.Value) []byte {
	ies := []per.Value{
		NGAP.IE(85, "reject", "RAN-UE-NGAP-ID", Int("", int64(ran))),
		NGAP.IE(38, "reject", "NAS-PDU", Octets("", nas)),
		NGAP.IE(121, "reject", "UserLocationInformation", location),
		NGAP.IE(90, "ignore", "RRCEstablishmentCause", Enum("", cause)),
		NGAP.IE(112, "ignore", "UEContextRequest", Enum("", "requested")),
	}
	ies = append(ies, extra...)
	return NGAP.PDU("initiatingMessage", 15, "ignore", "InitialUEMessage", ies...)
}

// NGDownlinkNASTransport carries a NAS PDU to the UE.
func NGDownlinkNASTransport(ue NGUE, nas []byte, extra ...per.Value) []byte {
	ies := append(ngids(ue), NGAP.IE(38, "reject", "NAS-PDU", Octets("", nas)))
	ies = append(ies, extra...)
	return NGAP.PDU("initiatingMessage", 4, "ignore", "DownlinkNASTransport", ies...)
}

// NGUplinkNASTransport carries the UE's NAS PDU to the AMF.
func NGUplinkNASTransport(ue NGUE, nas []byte, location per.Value) []byte {
	ies := append(ngids(ue),
		NGAP.IE(38, "reject", "NAS-PDU", Octets("", nas)),
		NGAP.IE(121, "ignore", "UserLocationInformation", location))
	return NGAP.PDU("initiatingMessage", 46, "ignore", "UplinkNASTransport", ies...)
}

// NGInitialContextSetupRequest is the AMF's InitialContextSetupRequest:
// GUAMI (AMF region 1, set 1, pointer 0 in plmn), the allowed NSSAI (SST
// 1), the UE security capabilities, the security key K_gNB (32 octets)
// and, unless nil, a NAS PDU.
func NGInitialContextSetupRequest(ue NGUE, plmn []byte, caps per.Value, key []byte, nas []byte) []byte {
	guami := Seq("", Octets("pLMNIdentity", plmn), Bits("aMFRegionID", []byte{1}, 8),
		Bits("aMFSetID", []byte{0, 0x40}, 10), Bits("aMFPointer", []byte{0}, 6))
	ies := append(ngids(ue),
		NGAP.IE(28, "reject", "GUAMI", guami),
		NGAP.IE(0, "reject", "AllowedNSSAI", SeqOf("", Seq("", NGSNSSAI("s-NSSAI", 1, nil)))),
		NGAP.IE(119, "reject", "UESecurityCapabilities", caps),
		NGAP.IE(94, "reject", "SecurityKey", Bits("", key, 256)))
	if nas != nil {
		ies = append(ies, NGAP.IE(38, "ignore", "NAS-PDU", Octets("", nas)))
	}
	return NGAP.PDU("initiatingMessage", 14, "reject", "InitialContextSetupRequest", ies...)
}

// NGPDUSessionResourceSetupRequest sets up one PDU session (id psi, SST
// 1) with its NAS PDU (a PDU session establishment accept) and a transfer
// holding the session AMBR, the UPF's GTP tunnel and the session type.
func NGPDUSessionResourceSetupRequest(ue NGUE, psi int, nas []byte) []byte {
	ambr := Seq("", Int("pDUSessionAggregateMaximumBitRateDL", 1e9), Int("pDUSessionAggregateMaximumBitRateUL", 5e8))
	tunnel := Choice("", Seq("gTPTunnel",
		Bits("transportLayerAddress", []byte{192, 168, 70, 134}, 32), Octets("gTP-TEID", []byte{0, 0, 0, 1})))
	transfer := NGAP.Encode("PDUSessionResourceSetupRequestTransfer", Seq("", SeqOf("protocolIEs",
		NGAP.IE(130, "reject", "PDUSessionAggregateMaximumBitRate", ambr),
		NGAP.IE(139, "reject", "UPTransportLayerInformation", tunnel),
		NGAP.IE(134, "reject", "PDUSessionType", Enum("", "ipv4")))))
	item := Seq("", Int("pDUSessionID", int64(psi)), Octets("pDUSessionNAS-PDU", nas),
		NGSNSSAI("s-NSSAI", 1, nil), Octets("pDUSessionResourceSetupRequestTransfer", transfer))
	ies := append(ngids(ue), NGAP.IE(74, "reject", "PDUSessionResourceSetupListSUReq", SeqOf("", item)))
	return NGAP.PDU("initiatingMessage", 29, "reject", "PDUSessionResourceSetupRequest", ies...)
}

// NGUEContextReleaseRequest is the gNB's UEContextReleaseRequest.
func NGUEContextReleaseRequest(ue NGUE, cause per.Value) []byte {
	ies := append(ngids(ue), NGAP.IE(15, "ignore", "Cause", cause))
	return NGAP.PDU("initiatingMessage", 42, "ignore", "UEContextReleaseRequest", ies...)
}

// NGUEContextReleaseCommand is the AMF's UEContextReleaseCommand naming
// the UE by its pair of ids or, when pair is false, by its AMF-UE-NGAP-ID
// alone.
func NGUEContextReleaseCommand(ue NGUE, pair bool, cause per.Value) []byte {
	ids := Choice("", Int("aMF-UE-NGAP-ID", int64(ue.AMF)))
	if pair {
		ids = Choice("", Seq("uE-NGAP-ID-pair", Int("aMF-UE-NGAP-ID", int64(ue.AMF)), Int("rAN-UE-NGAP-ID", int64(ue.RAN))))
	}
	return NGAP.PDU("initiatingMessage", 41, "reject", "UEContextReleaseCommand",
		NGAP.IE(114, "reject", "UE-NGAP-IDs", ids),
		NGAP.IE(15, "ignore", "Cause", cause))
}

// NGUEContextReleaseComplete is the gNB's UEContextReleaseComplete, with
// the PDU sessions it released (PDUSessionResourceListCxtRelCpl) unless
// there are none.
func NGUEContextReleaseComplete(ue NGUE, sessions ...int) []byte {
	ies := []per.Value{
		NGAP.IE(10, "ignore", "AMF-UE-NGAP-ID", Int("", int64(ue.AMF))),
		NGAP.IE(85, "ignore", "RAN-UE-NGAP-ID", Int("", int64(ue.RAN))),
	}
	if len(sessions) > 0 {
		var items []per.Value
		for _, s := range sessions {
			items = append(items, Seq("", Int("pDUSessionID", int64(s))))
		}
		ies = append(ies, NGAP.IE(60, "reject", "PDUSessionResourceListCxtRelCpl", SeqOf("", items...)))
	}
	return NGAP.PDU("successfulOutcome", 41, "reject", "UEContextReleaseComplete", ies...)
}
