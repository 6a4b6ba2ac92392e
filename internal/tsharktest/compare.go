package tsharktest

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/per"
)

// Leaf is one primitive value of a decoded message, as a list comparison
// sees it: the ASN.1 identifier (with '-', as the specification writes it)
// and the value in a normal form.
type Leaf struct {
	Name  string
	Value string
	Item  bool // an element of a SEQUENCE OF, which tshark names after its type
}

func (l Leaf) String() string { return l.Name + "=" + l.Value }

var numSuffix = regexp.MustCompile(`_\d+$`)

// ident turns a PDML field name ("nr-rrc.rrc_TransactionIdentifier",
// "nr-rrc.criticalExtensions_01") into the ASN.1 identifier.
func ident(name, prefix string) string {
	s := strings.TrimPrefix(name, prefix)
	s = strings.TrimSuffix(s, "_element")
	s = numSuffix.ReplaceAllString(s, "")
	return strings.ReplaceAll(s, "_", "-")
}

var choiceShow = regexp.MustCompile(`^[^:]+: (\S+) \((-?\d+)\)$`)

// TsharkLeaves lists the primitive values tshark shows under a node of the
// given protocol ("nr-rrc."), in the order it shows them. Hidden items and
// other protocols' items (nas-5gs inside an RRC message) are left out;
// opaque tells which containers to show as their octets rather than as
// the value tshark decoded inside them.
func TsharkLeaves(n *Node, prefix string, opaque func(name string) bool) []Leaf {
	var out []Leaf
	var walk func(n *Node)
	walk = func(n *Node) {
		for i := range n.Children {
			c := &n.Children[i]
			if c.Hide == "yes" {
				continue
			}
			if c.Name == "" && c.XMLName.Local == "field" {
				walk(c) // "Item 0" wrapper of a SEQUENCE OF element
				continue
			}
			if !strings.HasPrefix(c.Name, prefix) {
				continue
			}
			name := ident(c.Name, prefix)
			if opaque != nil && opaque(name) && c.Value != "" {
				out = append(out, Leaf{Name: name, Value: c.Value})
				continue
			}
			if hasVisible(c, prefix) {
				walk(c)
				continue
			}
			if strings.HasSuffix(c.Name, "_element") && c.Show == "" {
				// An empty SEQUENCE {} or a NULL alternative.
				out = append(out, Leaf{Name: name, Value: "null"})
				continue
			}
			out = append(out, Leaf{Name: name, Value: tsharkValue(c)})
		}
	}
	walk(n)
	return out
}

func hasVisible(n *Node, prefix string) bool {
	for i := range n.Children {
		c := &n.Children[i]
		if c.Hide == "yes" {
			continue
		}
		if strings.HasPrefix(c.Name, prefix) || c.Name == "" && c.XMLName.Local == "field" && hasVisible(c, prefix) {
			return true
		}
	}
	return false
}

// tsharkValue normalises what tshark shows of a primitive value: the
// identifier of an enumeration or a choice, the digits of a number, the
// hex of a string of bits or octets.
func tsharkValue(c *Node) string {
	if m := choiceShow.FindStringSubmatch(c.Showname); m != nil && c.Show == m[2] {
		return m[1]
	}
	if strings.Contains(c.Show, ":") || c.Value != "" && strings.Contains(c.Showname, "[bit length") {
		return strings.ReplaceAll(c.Show, ":", "")
	}
	switch {
	case strings.HasSuffix(c.Showname, ": True"):
		return "true"
	case strings.HasSuffix(c.Showname, ": False"):
		return "false"
	}
	return c.Show
}

// ValueLeaves lists the primitive values of a decoded value in schema order,
// normalised like TsharkLeaves; opaque containers (OCTET STRING CONTAINING
// left undecoded) are leaves holding their octets.
func ValueLeaves(v *per.Value) []Leaf {
	var out []Leaf
	var walk func(v *per.Value, name string, item bool)
	walk = func(v *per.Value, name string, item bool) {
		switch v.Kind {
		case per.Sequence:
			if len(v.Fields) == 0 && name != "" {
				out = append(out, Leaf{Name: name, Value: "null", Item: item})
			}
			for i := range v.Fields {
				walk(&v.Fields[i], v.Fields[i].Name, false)
			}
		case per.SequenceOf:
			if len(v.Fields) == 0 {
				// tshark shows an empty list as its count
				out = append(out, Leaf{Name: name, Value: "0", Item: item})
			}
			for i := range v.Fields {
				walk(&v.Fields[i], name, true)
			}
		case per.Choice:
			for i := range v.Fields {
				walk(&v.Fields[i], v.Fields[i].Name, false)
			}
		case per.OctetString:
			if v.Contained != nil {
				walk(v.Contained, name, item)
				return
			}
			out = append(out, Leaf{Name: name, Value: hex.EncodeToString(v.Octets), Item: item})
		case per.BitString:
			out = append(out, Leaf{Name: name, Value: hex.EncodeToString(v.Bits[:(v.Len+7)/8]), Item: item})
		case per.Integer:
			out = append(out, Leaf{Name: name, Value: strconv.FormatInt(v.Int, 10), Item: item})
		case per.Enumerated:
			val := v.Ident
			if val == "" {
				val = strconv.FormatInt(v.Int, 10)
			}
			out = append(out, Leaf{Name: name, Value: val, Item: item})
		case per.Boolean:
			out = append(out, Leaf{Name: name, Value: strconv.FormatBool(v.Bool), Item: item})
		case per.Null:
			out = append(out, Leaf{Name: name, Value: "null", Item: item})
		case per.Open:
			out = append(out, Leaf{Name: name, Value: hex.EncodeToString(v.Octets), Item: item})
		}
	}
	walk(v, "", false)
	return out
}

// OpaqueNames returns the names of the containers a value leaves undecoded.
func OpaqueNames(v *per.Value) map[string]bool {
	names := map[string]bool{}
	var walk func(v *per.Value)
	walk = func(v *per.Value) {
		if v.Kind == per.OctetString && v.Container != "" && v.Contained == nil {
			names[v.Name] = true
		}
		if v.Contained != nil {
			walk(v.Contained)
		}
		for i := range v.Fields {
			walk(&v.Fields[i])
		}
	}
	walk(v)
	return names
}

// CompareLeaves compares two leaf lists and describes the first difference
// with the leaves before it, or returns "" when they agree. A SEQUENCE OF
// element is matched by value only (tshark names it after its type).
func CompareLeaves(tshark, ours []Leaf) string {
	n := min(len(tshark), len(ours))
	for i := 0; i < n; i++ {
		a, b := tshark[i], ours[i]
		if a.Value == b.Value && (a.Name == b.Name || b.Item) {
			continue
		}
		return fmt.Sprintf("leaf %d differs: tshark %s, ours %s (after %s)", i, a, b, before(ours, i))
	}
	if len(tshark) != len(ours) {
		if len(tshark) > n {
			return fmt.Sprintf("tshark shows %d more leaves from %s (after %s)", len(tshark)-n, tshark[n], before(ours, n))
		}
		return fmt.Sprintf("ours has %d more leaves from %s (after %s)", len(ours)-n, ours[n], before(ours, n))
	}
	return ""
}

func before(l []Leaf, i int) string {
	var parts []string
	for j := max(0, i-3); j < i; j++ {
		parts = append(parts, l[j].String())
	}
	if len(parts) == 0 {
		return "the start"
	}
	return strings.Join(parts, ", ")
}
