// Package nas decodes 5GS NAS messages (3GPP TS 24.501, Rel-17) as they
// appear inside NR RRC (dedicatedNAS-Message) and NGAP (NAS-PDU): the
// extended protocol discriminator, the security header (type, MAC,
// sequence number), the plain message inside it when it can be read, the
// message name for every 5GMM and 5GSM message type, and the information
// elements an engineer needs when AS or NAS security fails: registration
// type, ngKSI, 5GS mobile identities (SUCI, 5G-GUTI, IMEI, IMEISV,
// 5G-S-TMSI, MAC address, EUI-64), UE security capability, NAS security
// algorithms, 5GMM and 5GSM causes, and the payload container of NAS
// transport messages with the 5GSM message inside it. Other IEs are named
// and skipped by their format so that the ones after them still decode.
//
// Decode never panics and never guesses what a ciphered message is: a
// message of security header type 2 or 4 is read only when Options says
// that 5G-EA0 (null ciphering) is in force.
//
// To add an IE to a message: 1. add an ie{} line to the message's table in
// messages.go with the IEI, format and TS 24.501 name; 2. give it a value
// decoder from ies.go (or hexValue); 3. add it to a nastest builder and to
// the builder's golden file (go test -run TestBuilders -update).
//
// It imports nothing from the project; in particular not ladder, server or
// store.
package nas
