package nas_test

import (
	"testing"

	"github.com/nrladder/nrladder/internal/nastest"
	"github.com/nrladder/nrladder/internal/parse/nas"
)

// BenchmarkDecode decodes the messages of one registration: request,
// authentication, security mode command and complete (5G-EA0, with the
// registration request in its container), accept, and a PDU session
// establishment in UL NAS transport.
func BenchmarkDecode(b *testing.B) {
	pdus := [][]byte{
		regRequest,
		nastest.AuthenticationRequest(1, rand, autn),
		nastest.AuthenticationResponse(resStar),
		nastest.ProtectedSecurityModeCommand(2, 2, 1, 0xf0, 0xf0),
		nastest.ProtectedSecurityModeComplete(nastest.IMEISVDigits, regRequest, false),
		nastest.RegistrationAccept(guti),
		nastest.ULNASTransport(1, nastest.PDUSessionEstablishmentRequest(1, 1)),
	}
	size := 0
	for _, p := range pdus {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pdus {
			if _, err := nas.Decode(p, nas.Options{CipheringAlgorithm: 0}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDecodeCiphered is the common case on a live network: a
// ciphered message, of which only the security header is read.
func BenchmarkDecodeCiphered(b *testing.B) {
	pdu := nastest.Protect(2, 0x01020304, 9, nastest.Cipher(nastest.RegistrationAccept(guti)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := nas.Decode(pdu, nas.Options{CipheringAlgorithm: 2}); err != nil {
			b.Fatal(err)
		}
	}
}
