package ladder

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/nas"
)

// CommonUE is the key of the ladder that holds what belongs to no UE:
// system information, paging, F1/NG setup.
const CommonUE = "common"

// nasMatchWindow bounds the time between the two copies of a NAS message,
// in RRC on F1 and in NGAP on N2, that join the two sides of one UE.
const nasMatchWindow = 2 * time.Second

// grouping is which UE each event belongs to.
type grouping struct {
	ueOf []int     // per event: index in ues, -1 for the common ladder
	ues  []ueGroup // in order of first appearance
}

type ueGroup struct {
	first       int      // index of its first event
	connections int      // RRC connections (components of UE ids) joined into it
	ids         []string // the UE id keys, without reuse counts, in order
	joinedBy    []string // subscriber identities that joined its connections
}

// unionFind is a disjoint-set forest over small integers.
type unionFind []int

func (u unionFind) find(x int) int {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

func (u unionFind) union(a, b int) {
	a, b = u.find(a), u.find(b)
	if a == b {
		return
	}
	if b < a {
		a, b = b, a
	}
	u[b] = a // the root is the oldest, so components keep their order
}

// group tells the UEs apart. Identities a layer gives (C-RNTI, F1AP and
// NGAP UE ids, each use counted apart) that one message carries together
// belong to one connection; the NAS message that appears in RRC on F1 and
// in NGAP on N2 within nasMatchWindow joins the two sides. Connections
// that share a subscriber identity (SUCI, 5G-S-TMSI/5G-GUTI, IMEI(SV))
// are one UE.
func group(events []parse.Event) grouping {
	keys := map[string]int{}
	node := func(k string) int {
		if i, ok := keys[k]; ok {
			return i
		}
		keys[k] = len(keys)
		return len(keys) - 1
	}
	evNode := make([]int, len(events))
	for i := range events {
		evNode[i] = -1
		for _, k := range events[i].Links {
			n := node(k)
			if evNode[i] < 0 {
				evNode[i] = n
			}
		}
	}
	uf := make(unionFind, len(keys))
	for i := range uf {
		uf[i] = i
	}
	for i := range events {
		for _, k := range events[i].Links {
			uf.union(evNode[i], keys[k])
		}
	}
	joinByNAS(events, evNode, uf)

	// Connections (components) in order of first appearance, and the
	// subscriber identities each one shows.
	connOf := map[int]int{}
	type conn struct {
		first int
		ids   []string
		subs  []string
	}
	var conns []conn
	for i := range events {
		if evNode[i] < 0 {
			continue
		}
		r := uf.find(evNode[i])
		c, ok := connOf[r]
		if !ok {
			c = len(conns)
			connOf[r] = c
			conns = append(conns, conn{first: i})
		}
		for _, k := range events[i].Links {
			conns[c].ids = appendNew(conns[c].ids, baseKey(k))
		}
		for _, s := range subscriberIDs(&events[i]) {
			conns[c].subs = appendNew(conns[c].subs, s)
		}
	}
	cuf := make(unionFind, len(conns))
	for i := range cuf {
		cuf[i] = i
	}
	owner := map[string]int{}
	for c := range conns {
		for _, s := range conns[c].subs {
			if o, ok := owner[s]; ok {
				cuf.union(o, c)
			} else {
				owner[s] = c
			}
		}
	}
	var g grouping
	ueOfConn := map[int]int{}
	for c := range conns {
		r := cuf.find(c)
		u, ok := ueOfConn[r]
		if !ok {
			u = len(g.ues)
			ueOfConn[r] = u
			g.ues = append(g.ues, ueGroup{first: conns[c].first})
		}
		ue := &g.ues[u]
		ue.connections++
		for _, id := range conns[c].ids {
			ue.ids = appendNew(ue.ids, id)
		}
		if r != c {
			for _, s := range conns[c].subs {
				if o := owner[s]; cuf.find(o) == r && o != c {
					ue.joinedBy = appendNew(ue.joinedBy, s)
				}
			}
		}
	}
	g.ueOf = make([]int, len(events))
	for i := range events {
		g.ueOf[i] = -1
		if evNode[i] >= 0 {
			g.ueOf[i] = ueOfConn[cuf.find(connOf[uf.find(evNode[i])])]
		}
	}
	return g
}

// joinByNAS joins the F1 side of a UE to its N2 side: a NAS message
// carried in RRC (F1AP containers) and the same bytes in NGAP, in the same
// direction, close in time.
func joinByNAS(events []parse.Event, evNode []int, uf unionFind) {
	type seen struct {
		ev     int
		uplink bool
	}
	ngapNAS := map[string][]seen{}
	for i := range events {
		e := &events[i]
		if e.Protocol != "NGAP" || evNode[i] < 0 {
			continue
		}
		for _, n := range e.NAS {
			if len(n.PDU) > 0 {
				k := hex.EncodeToString(n.PDU)
				ngapNAS[k] = append(ngapNAS[k], seen{i, e.Uplink})
			}
		}
	}
	for i := range events {
		e := &events[i]
		if e.Protocol != "NR-RRC" || evNode[i] < 0 {
			continue
		}
		for _, n := range e.NAS {
			best, bestDelta := -1, nasMatchWindow+1
			for _, s := range ngapNAS[hex.EncodeToString(n.PDU)] {
				if s.uplink != e.Uplink {
					continue
				}
				d := events[s.ev].Time.Sub(e.Time)
				if d < 0 {
					d = -d
				}
				if d <= nasMatchWindow && d < bestDelta {
					best, bestDelta = s.ev, d
				}
			}
			if best >= 0 {
				uf.union(evNode[i], evNode[best])
			}
		}
	}
}

// subscriberIDs are the identities of the subscriber or the device a
// message shows: they outlive one RRC connection.
func subscriberIDs(e *parse.Event) []string {
	var out []string
	for _, n := range e.NAS {
		for _, id := range n.Identities {
			switch id.Type {
			case nas.SUCI:
				if id.ProtectionScheme == 0 { // the null scheme repeats; ECIES outputs differ each time
					out = append(out, "SUCI "+id.Value)
				}
			case nas.GUTI5G, nas.STMSI5G:
				out = append(out, fmt.Sprintf("5G-S-TMSI %d-%d-%08x", id.AMFSetID, id.AMFPointer, id.TMSI))
			case nas.IMEI, nas.IMEISV:
				if len(id.Digits) >= 14 {
					out = append(out, "IMEI "+id.Digits[:14])
				}
			}
		}
	}
	return out
}

// baseKey drops the reuse count of a UE id key: "c-rnti 0x4601#2" is shown
// as "c-rnti 0x4601".
func baseKey(k string) string {
	if i := strings.LastIndexByte(k, '#'); i > 0 {
		return k[:i]
	}
	return k
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// idLabel renders a UE id key for people: "C-RNTI 0x4601".
func idLabel(k string) string {
	if rest, ok := strings.CutPrefix(k, "c-rnti "); ok {
		return "C-RNTI " + rest
	}
	if rest, ok := strings.CutPrefix(k, "rls "); ok {
		return "UERANSIM UE " + rest
	}
	return k
}

// lanesFor picks the lifelines of a UE's ladder from the protocols it has:
// UE and gNB; gNB-DU and gNB-CU instead of gNB when F1AP is there; AMF when
// NGAP is.
func lanesFor(protocols map[string]bool) []string {
	var lanes []string
	if protocols["NR-RRC"] || !protocols["F1AP"] && !protocols["NGAP"] {
		lanes = append(lanes, LaneUE)
	}
	if protocols["F1AP"] {
		lanes = append(lanes, LaneDU, LaneCU)
	} else {
		lanes = append(lanes, LaneGNB)
	}
	if protocols["NGAP"] {
		lanes = append(lanes, LaneAMF)
	}
	return lanes
}

// sortEvents orders events by time, keeping capture order for equal times;
// an RRC message carried uplink by an F1AP message comes before its
// carrier (the UE sent it first), downlink after it. It returns the new
// order as indexes into events.
func sortEvents(events []parse.Event) []int {
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	key := func(i int) (time.Time, int, int) {
		e := &events[i]
		if e.Carrier >= 0 && e.Uplink {
			c := &events[e.Carrier]
			return c.Time, e.Carrier, -1
		}
		return e.Time, i, 0
	}
	sort.SliceStable(order, func(a, b int) bool {
		ta, ia, sa := key(order[a])
		tb, ib, sb := key(order[b])
		if !ta.Equal(tb) {
			return ta.Before(tb)
		}
		if ia != ib {
			return ia < ib
		}
		return sa < sb
	})
	return order
}
