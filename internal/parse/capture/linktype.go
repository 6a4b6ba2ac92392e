package capture

import "fmt"

// LinkTypeName names a link type (LINKTYPE_ value) for messages: "Ethernet",
// "Wireshark upper PDU export", "user DLT 2", or "link type N" for the rest.
func LinkTypeName(lt uint32) string {
	switch lt {
	case 0:
		return "BSD loopback"
	case 1:
		return "Ethernet"
	case 101:
		return "raw IP"
	case 113:
		return "Linux SLL"
	case 228:
		return "raw IPv4"
	case 229:
		return "raw IPv6"
	case 252:
		return "Wireshark upper PDU export"
	case 276:
		return "Linux SLL2"
	}
	if lt >= 147 && lt <= 162 {
		return fmt.Sprintf("user DLT %d", lt-147)
	}
	return fmt.Sprintf("link type %d", lt)
}
