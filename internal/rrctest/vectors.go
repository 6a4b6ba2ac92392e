package rrctest

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Vector is one entry of shared/vectors/rrc-vectors.json.
type Vector struct {
	Label      string          `json:"label"`
	RAT        string          `json:"rat"`     // "nr" or "lte"
	Channel    string          `json:"channel"` // "ul-dcch", ...
	Hex        string          `json:"hex"`     // the UPER encoding
	TsharkInfo string          `json:"tshark_info"`
	JER        json.RawMessage `json:"jer"`
	ASN1       string          `json:"asn1"`
}

// PDU returns the vector's encoding.
func (v Vector) PDU() ([]byte, error) { return hex.DecodeString(v.Hex) }

// Alternative reads the vector's JER: the chain of alternatives below
// message ("c1.securityModeCommand", "mib") and, when the chosen message
// has one, its rrc-TransactionIdentifier (else -1). ok is false when the
// JER has no single alternative at some level.
func (v Vector) Alternative() (path string, txid int, ok bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(v.JER, &top) != nil {
		return "", -1, false
	}
	cur := top["message"]
	for {
		var m map[string]json.RawMessage
		if json.Unmarshal(cur, &m) != nil || len(m) != 1 {
			return "", -1, false
		}
		var key string
		for k := range m {
			key = k
		}
		if path != "" {
			path += "."
		}
		path += key
		cur = m[key]
		if key != "c1" && key != "c2" && key != "messageClassExtension" {
			break
		}
	}
	txid = -1
	var body map[string]json.RawMessage
	if json.Unmarshal(cur, &body) == nil {
		if raw, has := body["rrc-TransactionIdentifier"]; has && json.Unmarshal(raw, &txid) != nil {
			return "", -1, false
		}
	}
	return path, txid, true
}

// SharedDir returns the shared material directory: $NRLADDER_SHARED, or
// the first directory named shared holding vectors/rrc-vectors.json found
// beside the working directory or one of its parents (a test runs in its
// package directory, so this finds <repo>/../shared and <repo>/shared).
func SharedDir() (string, bool) {
	if d := os.Getenv("NRLADDER_SHARED"); d != "" {
		return d, hasVectors(d)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for range 8 {
		if d := filepath.Join(dir, "shared"); hasVectors(d) {
			return d, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", false
}

func hasVectors(shared string) bool {
	_, err := os.Stat(filepath.Join(shared, "vectors", "rrc-vectors.json"))
	return err == nil
}

// Vectors loads the shared vectors. When the shared directory is absent
// the test is skipped, saying so; when it is present but unreadable the
// test fails.
func Vectors(t testing.TB) []Vector {
	t.Helper()
	dir, ok := SharedDir()
	if !ok {
		t.Skip("SKIPPED: shared/vectors/rrc-vectors.json not found beside the repository (set NRLADDER_SHARED); vector checks not run")
	}
	b, err := os.ReadFile(filepath.Join(dir, "vectors", "rrc-vectors.json"))
	if err != nil {
		t.Fatalf("reading vectors: %v", err)
	}
	var vs []Vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatalf("decoding vectors: %v", err)
	}
	if len(vs) == 0 {
		t.Fatal("rrc-vectors.json holds no vectors")
	}
	return vs
}

// VectorByLabel returns the vector with the given label.
func VectorByLabel(t testing.TB, vs []Vector, label string) Vector {
	t.Helper()
	for _, v := range vs {
		if v.Label == label {
			return v
		}
	}
	labels := make([]string, len(vs))
	for i, v := range vs {
		labels[i] = v.Label
	}
	sort.Strings(labels)
	t.Fatalf("no vector labelled %q; have %q", label, labels)
	return Vector{}
}
