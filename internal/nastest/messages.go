package nastest

// Message builders. Each returns a complete PDU as a UE or AMF sends it.

// Message types used below (TS 24.501 Tables 9.7.1, 9.7.2).
const (
	TypeRegistrationRequest            = 0x41
	TypeRegistrationAccept             = 0x42
	TypeRegistrationComplete           = 0x43
	TypeRegistrationReject             = 0x44
	TypeDeregistrationRequestUEOrig    = 0x45
	TypeDeregistrationRequestUETerm    = 0x47
	TypeServiceRequest                 = 0x4c
	TypeServiceReject                  = 0x4d
	TypeServiceAccept                  = 0x4e
	TypeConfigurationUpdateCommand     = 0x54
	TypeAuthenticationRequest          = 0x56
	TypeAuthenticationResponse         = 0x57
	TypeAuthenticationReject           = 0x58
	TypeAuthenticationFailure          = 0x59
	TypeIdentityRequest                = 0x5b
	TypeIdentityResponse               = 0x5c
	TypeSecurityModeCommand            = 0x5d
	TypeSecurityModeComplete           = 0x5e
	TypeSecurityModeReject             = 0x5f
	TypeStatus5GMM                     = 0x64
	TypeULNASTransport                 = 0x67
	TypeDLNASTransport                 = 0x68
	TypePDUSessionEstablishmentRequest = 0xc1
	TypePDUSessionEstablishmentAccept  = 0xc2
	TypePDUSessionReleaseCommand       = 0xd3
)

// RegistrationRequest is an initial registration (follow-on request
// pending, ngKSI 7: no key) with the given 5GS mobile identity, as a UE
// without a security context sends it in RRCSetupComplete: 5GMM
// capability, UE security capability (5G-EA ea, 5G-IA ia and the same
// bits for EEA/EIA), requested NSSAI (SST 1, SD 0x010203), last visited
// registered TAI (a type 3 IE, so that a decoder must know its length) and
// UE's usage setting.
func RegistrationRequest(identity []byte, ea, ia byte) []byte {
	return MM(TypeRegistrationRequest,
		[]byte{0x7<<4 | 0x8 | 0x1}, // ngKSI 7, FOR, initial registration
		LVE(identity),
		TLV(0x10, []byte{0x07}), // 5GMM capability: S1 mode, HO attach, LPP
		TLV(0x2e, UESecurityCapability(ea, ia, true, ea, ia&0x7f)),
		TLV(0x2f, append([]byte{4}, SNSSAI(1, 0x010203)...)),
		TV(0x52, append(PLMN(MCC, MNC), 0x00, 0x00, 0x01)...),
		TLV(0x18, []byte{0x01}),
	)
}

// AuthenticationRequest is a 5G AKA challenge: ngKSI, ABBA 0x0000, RAND
// (type 3) and AUTN.
func AuthenticationRequest(ngKSI int, rand, autn [16]byte) []byte {
	return MM(TypeAuthenticationRequest,
		[]byte{byte(ngKSI & 0x07)},
		LV([]byte{0x00, 0x00}),
		TV(0x21, rand[:]...),
		TLV(0x20, autn[:]),
	)
}

// AuthenticationResponse carries RES*.
func AuthenticationResponse(res [16]byte) []byte {
	return MM(TypeAuthenticationResponse, TLV(0x2d, res[:]))
}

// AuthenticationFailure carries a 5GMM cause and, for synch failure (21),
// the AUTS.
func AuthenticationFailure(cause byte, auts []byte) []byte {
	b := MM(TypeAuthenticationFailure, []byte{cause})
	if auts != nil {
		b = append(b, TLV(0x30, auts)...)
	}
	return b
}

// AuthenticationReject has no IEs.
func AuthenticationReject() []byte { return MM(TypeAuthenticationReject) }

// SecurityModeCommand is the plain Security mode command: selected
// algorithms, ngKSI, replayed UE security capabilities (ea, ia; EEA/EIA
// as RegistrationRequest writes them), IMEISV request and additional 5G
// security information (RINMR).
func SecurityModeCommand(ciphering, integrity, ngKSI int, ea, ia byte) []byte {
	return MM(TypeSecurityModeCommand,
		[]byte{byte(ciphering<<4 | integrity&0x0f)},
		[]byte{byte(ngKSI & 0x07)},
		LV(UESecurityCapability(ea, ia, true, ea, ia&0x7f)),
		TV1(0xe0, 1),
		TLV(0x36, []byte{0x02}),
	)
}

// ProtectedSecurityModeCommand is SecurityModeCommand as the AMF sends it:
// integrity protected with the new 5G NAS security context (type 3),
// sequence number 0.
func ProtectedSecurityModeCommand(ciphering, integrity, ngKSI int, ea, ia byte) []byte {
	return Protect(IntegrityProtectedNew, 0x5a3c9e01, 0, SecurityModeCommand(ciphering, integrity, ngKSI, ea, ia))
}

// SecurityModeComplete is the plain Security mode complete with the
// IMEISV and, when container is not nil, the NAS message container (the
// complete initial message).
func SecurityModeComplete(imeisv string, container []byte) []byte {
	b := MM(TypeSecurityModeComplete, TLVE(0x77, IMEISV(imeisv)))
	if container != nil {
		b = append(b, TLVE(0x71, container)...)
	}
	return b
}

// ProtectedSecurityModeComplete is SecurityModeComplete as the UE sends
// it: integrity protected and ciphered with the new context (type 4),
// sequence number 0. With ciphered false the body is sent in the clear, as
// under 5G-EA0.
func ProtectedSecurityModeComplete(imeisv string, container []byte, ciphered bool) []byte {
	inner := SecurityModeComplete(imeisv, container)
	if ciphered {
		inner = Cipher(inner)
	}
	return Protect(IntegrityProtectedCipheredNew, 0x0badcafe, 0, inner)
}

// SecurityModeReject carries a 5GMM cause (23 UE security capabilities
// mismatch, 24 security mode rejected).
func SecurityModeReject(cause byte) []byte { return MM(TypeSecurityModeReject, []byte{cause}) }

// RegistrationAccept is a 3GPP-access registration accept with the
// 5G-GUTI, a TAI list of one TAC, the allowed NSSAI and T3512.
func RegistrationAccept(guti []byte) []byte {
	tai := append([]byte{0x00}, PLMN(MCC, MNC)...) // one TAC, type of list 00
	tai = append(tai, 0x00, 0x00, 0x01)
	return MM(TypeRegistrationAccept,
		LV([]byte{0x01}), // 3GPP access
		TLVE(0x77, guti),
		TLV(0x54, tai),
		TLV(0x15, append([]byte{4}, SNSSAI(1, 0x010203)...)),
		TLV(0x5e, []byte{0x05<<5 | 30}), // T3512: 30 minutes
	)
}

// RegistrationComplete has no IEs.
func RegistrationComplete() []byte { return MM(TypeRegistrationComplete) }

// RegistrationReject carries a 5GMM cause and T3502 (12 minutes).
func RegistrationReject(cause byte) []byte {
	return MM(TypeRegistrationReject, []byte{cause}, TLV(0x16, []byte{0x01<<5 | 12}))
}

// IdentityRequest asks for an identity type (1 SUCI, 3 IMEI, 5 IMEISV).
func IdentityRequest(typ byte) []byte { return MM(TypeIdentityRequest, []byte{typ & 0x07}) }

// IdentityResponse carries a mobile identity.
func IdentityResponse(identity []byte) []byte { return MM(TypeIdentityResponse, LVE(identity)) }

// ServiceRequest carries ngKSI, the service type (0 signalling, 1 data…)
// and the 5G-S-TMSI, and the uplink data status of PDU session 1.
func ServiceRequest(serviceType, ngKSI int, stmsi []byte) []byte {
	return MM(TypeServiceRequest,
		[]byte{byte(serviceType<<4 | ngKSI&0x07)},
		LVE(stmsi),
		TLV(0x40, []byte{0x02, 0x00}),
	)
}

// ServiceAccept carries the PDU session status of session 1.
func ServiceAccept() []byte { return MM(TypeServiceAccept, TLV(0x50, []byte{0x02, 0x00})) }

// ServiceReject carries a 5GMM cause.
func ServiceReject(cause byte) []byte { return MM(TypeServiceReject, []byte{cause}) }

// PDUSessionEstablishmentRequest is an IPv4 PDU session, SSC mode 1, with
// full-rate integrity protection maximum data rate.
func PDUSessionEstablishmentRequest(psi, pti int) []byte {
	return SM(psi, pti, TypePDUSessionEstablishmentRequest,
		[]byte{0xff, 0xff},
		TV1(0x90, 1),
		TV1(0xa0, 1),
		TV(0x55, 16>>3, 16<<5&0xff), // maximum number of supported packet filters: 16
	)
}

// ULNASTransport carries a 5GSM message (N1 SM information) for PDU
// session psi, with request type initial request, S-NSSAI and DNN.
func ULNASTransport(psi int, sm []byte) []byte {
	return MM(TypeULNASTransport,
		[]byte{0x01}, // N1 SM information
		LVE(sm),
		TV(0x12, byte(psi)),
		TV1(0x80, 1),
		TLV(0x22, SNSSAI(1, 0x010203)),
		TLV(0x25, APN(DNN)),
	)
}

// DLNASTransport carries a 5GSM message for PDU session psi.
func DLNASTransport(psi int, sm []byte) []byte {
	return MM(TypeDLNASTransport, []byte{0x01}, LVE(sm), TV(0x12, byte(psi)))
}

// PDUSessionReleaseCommand carries a 5GSM cause.
func PDUSessionReleaseCommand(psi, pti int, cause byte) []byte {
	return SM(psi, pti, TypePDUSessionReleaseCommand, []byte{cause})
}

// DeregistrationRequest is a UE-originating deregistration on 3GPP access
// with the given ngKSI and identity, switch-off or normal.
func DeregistrationRequest(switchOff bool, ngKSI int, identity []byte) []byte {
	t := byte(0x01) // 3GPP access
	if switchOff {
		t |= 0x08
	}
	return MM(TypeDeregistrationRequestUEOrig, []byte{byte(ngKSI&0x07)<<4 | t}, LVE(identity))
}

// DeregistrationRequestUETerminated is a network-initiated deregistration
// with re-registration required and a 5GMM cause (type 3 IE 0x58).
func DeregistrationRequestUETerminated(cause byte) []byte {
	return MM(TypeDeregistrationRequestUETerm, []byte{0x04 | 0x01}, TV(0x58, cause))
}

// ConfigurationUpdateCommand assigns a new 5G-GUTI and sends the network
// time (type 3 IEs 0x46 and 0x47) and a short network name.
func ConfigurationUpdateCommand(guti []byte) []byte {
	return MM(TypeConfigurationUpdateCommand,
		TV1(0xd0, 1), // acknowledgement requested
		TLVE(0x77, guti),
		TLV(0x45, []byte{0x80 | 0x01, 0x4e, 0xa1, 0x0b}), // "Net" in GSM 7-bit
		TV(0x46, 0x40),
		TV(0x47, 0x62, 0x11, 0x62, 0x90, 0x03, 0x00, 0x40),
	)
}

// Status5GMM carries a 5GMM cause.
func Status5GMM(cause byte) []byte { return MM(TypeStatus5GMM, []byte{cause}) }
