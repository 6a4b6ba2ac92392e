package rrc

import (
	"strconv"
	"strings"
)

// Channel is the logical channel whose *-Message type an NR RRC PDU is
// encoded as; the PDU bytes alone do not say which.
type Channel uint8

// The channels of TS 38.331 §6.2.1 that carry RRC messages to or from a
// UE. (MCCH, Rel-17 broadcast MBS, is not covered.)
const (
	ChannelUnknown Channel = iota
	BCCHBCH                // BCCH-BCH: MIB
	BCCHDLSCH              // BCCH-DL-SCH: SIB1, SystemInformation
	DLCCCH                 // DL-CCCH (SRB0): RRCSetup, RRCReject
	DLDCCH                 // DL-DCCH (SRB1, SRB2, SRB3)
	PCCH                   // PCCH: Paging
	ULCCCH                 // UL-CCCH (SRB0): RRCSetupRequest, ...
	ULCCCH1                // UL-CCCH1 (SRB0): RRCResumeRequest1
	ULDCCH                 // UL-DCCH (SRB1, SRB2, SRB3)
	numChannels
)

var channelNames = [numChannels]struct{ name, dissector string }{
	ChannelUnknown: {"unknown", ""},
	BCCHBCH:        {"BCCH-BCH", "nr-rrc.bcch.bch"},
	BCCHDLSCH:      {"BCCH-DL-SCH", "nr-rrc.bcch.dl.sch"},
	DLCCCH:         {"DL-CCCH", "nr-rrc.dl.ccch"},
	DLDCCH:         {"DL-DCCH", "nr-rrc.dl.dcch"},
	PCCH:           {"PCCH", "nr-rrc.pcch"},
	ULCCCH:         {"UL-CCCH", "nr-rrc.ul.ccch"},
	ULCCCH1:        {"UL-CCCH1", "nr-rrc.ul.ccch1"},
	ULDCCH:         {"UL-DCCH", "nr-rrc.ul.dcch"},
}

// Channels lists the known channels in declaration order.
func Channels() []Channel {
	return []Channel{BCCHBCH, BCCHDLSCH, DLCCCH, DLDCCH, PCCH, ULCCCH, ULCCCH1, ULDCCH}
}

// String returns the 3GPP name, "UL-DCCH"; "unknown" for ChannelUnknown
// and "channel(N)" for values outside the enumeration.
func (c Channel) String() string {
	if c < numChannels {
		return channelNames[c].name
	}
	return "channel(" + strconv.Itoa(int(c)) + ")"
}

// Dissector returns the Wireshark dissector name for the channel,
// "nr-rrc.ul.dcch", or "" for ChannelUnknown.
func (c Channel) Dissector() string {
	if c < numChannels {
		return channelNames[c].dissector
	}
	return ""
}

// Uplink reports whether the channel carries UE-to-network messages.
func (c Channel) Uplink() bool { return c == ULCCCH || c == ULCCCH1 || c == ULDCCH }

// SRB returns the signalling radio bearer that carries the channel: "SRB0"
// for the CCCHs, "SRB1" for the DCCHs, "" for BCCH and PCCH. DCCH is
// SRB1 by default; SRB2 (and SRB3) also carry DCCH, which only the bearer
// the PDU arrived on can tell.
func (c Channel) SRB() string {
	switch c {
	case DLCCCH, ULCCCH, ULCCCH1:
		return "SRB0"
	case DLDCCH, ULDCCH:
		return "SRB1"
	}
	return ""
}

// ChannelFromDissector maps a Wireshark NR RRC dissector name, as found in
// exported-PDU tag 12, to its channel: "nr-rrc.ul.dcch" is ULDCCH.
// Trailing NUL padding (srsRAN pads the name) is ignored. PDU-level names
// such as "nr-rrc.rrc_reconf" are not channels and report false.
func ChannelFromDissector(name string) (Channel, bool) {
	name = strings.TrimRight(name, "\x00")
	for c := BCCHBCH; c < numChannels; c++ {
		if channelNames[c].dissector == name {
			return c, true
		}
	}
	return ChannelUnknown, false
}

// ChannelFromName maps a channel name to its channel, ignoring case:
// "UL-DCCH" and "ul-dcch" (the form of the shared vectors) are ULDCCH.
func ChannelFromName(s string) (Channel, bool) {
	for c := BCCHBCH; c < numChannels; c++ {
		if strings.EqualFold(channelNames[c].name, s) {
			return c, true
		}
	}
	return ChannelUnknown, false
}
