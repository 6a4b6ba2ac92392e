package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nrladder/nrladder/internal/capturetest"
	"github.com/nrladder/nrladder/internal/parse"
	"github.com/nrladder/nrladder/internal/parse/capture"
	"github.com/nrladder/nrladder/internal/store"
	"github.com/nrladder/nrladder/internal/tracetest"
)

// testServer is the real router on a real store in a temporary directory.
type testServer struct {
	t    *testing.T
	dir  string
	cfg  Config
	st   *store.Store
	http *httptest.Server
}

func newTestServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	ts := &testServer{t: t, dir: t.TempDir(), cfg: cfg}
	ts.start()
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	st, err := store.Open(ts.dir)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.st = st
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ts.http = httptest.NewServer(New(ts.cfg, st, log).Handler())
}

func (ts *testServer) stop() {
	if ts.http != nil {
		ts.http.Close()
		ts.st.Close()
		ts.http = nil
	}
}

// restart stops the server and starts a new one on the same data directory.
func (ts *testServer) restart() {
	ts.stop()
	ts.start()
}

func (ts *testServer) do(req *http.Request) (*http.Response, []byte) {
	ts.t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return resp, body
}

func (ts *testServer) get(path string) (*http.Response, []byte) {
	ts.t.Helper()
	req, _ := http.NewRequest("GET", ts.http.URL+path, nil)
	return ts.do(req)
}

// upload posts a file as the multipart field "file", the way the page does.
func (ts *testServer) upload(path, name string, data []byte) (*http.Response, []byte) {
	ts.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", ts.http.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return ts.do(req)
}

type created struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Name     string `json:"name"`
	UEs      int    `json:"ues"`
	Messages int    `json:"messages"`
	Error    string `json:"error"`
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return v
}

// apiTrace is the API's trace JSON as a client reads it.
type apiTrace struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Size      int64    `json:"size"`
	SHA256    string   `json:"sha256"`
	Uploaded  string   `json:"uploaded"`
	Format    string   `json:"format"`
	LinkTypes []uint32 `json:"linkTypes"`
	UEs       []struct {
		Key    string `json:"key"`
		Label  string `json:"label"`
		RNTI   *int   `json:"rnti"`
		DUUEID *int   `json:"duUeId"`
		CUUEID *int   `json:"cuUeId"`
	} `json:"ues"`
	Messages []apiMessage `json:"messages"`
	Warnings []struct {
		Frame int    `json:"frame"`
		Layer string `json:"layer"`
		Error string `json:"error"`
	} `json:"warnings"`
	Security []map[string]any `json:"security"`
	Findings []struct {
		UE       string `json:"ue"`
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Text     string `json:"text"`
		Seqs     []int  `json:"seqs"`
		Frames   []int  `json:"frames"`
	} `json:"findings"`
}

type apiMessage struct {
	Seq       int    `json:"seq"`
	Frame     int    `json:"frame"`
	Time      string `json:"time"`
	UE        string `json:"ue"`
	From      string `json:"from"`
	To        string `json:"to"`
	Direction string `json:"direction"`
	Protocol  string `json:"protocol"`
	Channel   string `json:"channel"`
	Message   string `json:"message"`
	TxID      *int   `json:"txid"`
	Role      string `json:"role"`
	NAS       []struct {
		Summary  string `json:"summary"`
		Ciphered bool   `json:"ciphered"`
	} `json:"nas"`
	Ciphered       bool            `json:"ciphered"`
	Retransmission bool            `json:"retransmission"`
	ASN1           json.RawMessage `json:"asn1"`
}

func TestUploadThenView(t *testing.T) {
	ts := newTestServer(t, Config{})
	capFile := tracetest.Pcap(tracetest.SecurityModeFailure())

	resp, body := ts.upload("/api/traces", "smf.pcap", capFile)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST status %d: %s", resp.StatusCode, body)
	}
	c := decode[created](t, body)
	if len(c.ID) < 16 {
		t.Fatalf("id %q is too short to be unguessable", c.ID)
	}
	if got, want := resp.Header.Get("Location"), "/api/traces/"+c.ID; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if diff := cmp.Diff(created{ID: c.ID, URL: "/t/" + c.ID, Name: "smf.pcap", UEs: 1, Messages: 8}, c); diff != "" {
		t.Errorf("POST body (-want +got):\n%s", diff)
	}

	// The API: every message, named, directed, with txid and role.
	resp, body = ts.get("/api/traces/" + c.ID)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET API: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	tr := decode[apiTrace](t, body)
	wantNAS := map[string][]string{
		"RRCSetupComplete":      {"Registration request"},
		"DLInformationTransfer": {"Authentication request"},
		"ULInformationTransfer": {"Authentication response"},
	}
	type row struct {
		Seq, Frame             int
		From, To, Dir, Ch, Msg string
		TxID                   int
		Role                   string
	}
	var got []row
	for _, m := range tr.Messages {
		tx := -1
		if m.TxID != nil {
			tx = *m.TxID
		}
		got = append(got, row{m.Seq, m.Frame, m.From, m.To, m.Direction, m.Channel, m.Message, tx, m.Role})
		if m.Protocol != "NR-RRC" || m.UE != tr.UEs[0].Key || m.Ciphered || m.Retransmission {
			t.Errorf("message %d: unexpected protocol/ue/flags: %+v", m.Seq, m)
		}
		var nas []string
		for _, n := range m.NAS {
			nas = append(nas, n.Summary)
		}
		if want := wantNAS[m.Message]; !cmp.Equal(nas, want) {
			t.Errorf("message %d %s: nas = %q, want %q", m.Seq, m.Message, nas, want)
		}
		if len(m.ASN1) < 10 || !json.Valid(m.ASN1) {
			t.Errorf("message %d %s: asn1 = %s", m.Seq, m.Message, m.ASN1)
		}
	}
	want := []row{
		{0, 1, "UE", "gNB", "UL", "UL-CCCH", "RRCSetupRequest", -1, ""},
		{1, 2, "gNB", "UE", "DL", "DL-CCCH", "RRCSetup", 0, ""},
		{2, 3, "UE", "gNB", "UL", "UL-DCCH", "RRCSetupComplete", 0, ""},
		{3, 4, "gNB", "UE", "DL", "DL-DCCH", "DLInformationTransfer", 1, ""},
		{4, 5, "UE", "gNB", "UL", "UL-DCCH", "ULInformationTransfer", -1, ""},
		{5, 6, "gNB", "UE", "DL", "DL-DCCH", "SecurityModeCommand", 2, "smc-failed"},
		{6, 7, "UE", "gNB", "UL", "UL-DCCH", "SecurityModeFailure", 2, "smf"},
		{7, 8, "gNB", "UE", "DL", "DL-DCCH", "RRCRelease", 3, "release-after-failure"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if got, want := tr.Messages[6].Time, "2026-11-26T09:30:00.072400000Z"; got != want {
		t.Errorf("time = %q, want %q", got, want)
	}
	// The security analysis, as the API contract names it.
	if len(tr.Security) != 1 {
		t.Fatalf("security = %v", tr.Security)
	}
	wantSec := map[string]any{"ue": tr.UEs[0].Key, "commandSeq": 5.0, "commandFrame": 6.0, "time": "2026-11-26T09:30:00.060000000Z", "txid": 2.0,
		"ciphering": "nea2", "integrity": "nia2", "outcome": "failure", "responseSeq": 6.0, "responseFrame": 7.0, "responseDelayMs": 12.4,
		"txidMatch": true, "releaseSeq": 7.0, "releaseFrame": 8.0, "releaseMessage": "RRCRelease", "releaseDelayMs": 38.0, "next": "release"}
	for k, want := range wantSec {
		if got := tr.Security[0][k]; !cmp.Equal(got, want) {
			t.Errorf("security[0].%s = %v, want %v", k, got, want)
		}
	}
	if len(tr.Findings) == 0 || tr.Findings[0].Code != "smc-failure" || !cmp.Equal(tr.Findings[0].Frames, []int{6, 7}) || tr.Findings[0].Severity != "error" {
		t.Errorf("findings = %+v", tr.Findings)
	}
	if tr.Format != "pcap" || !cmp.Equal(tr.LinkTypes, []uint32{252}) || tr.Size != int64(len(capFile)) || len(tr.SHA256) != 64 || tr.Name != "smf.pcap" {
		t.Errorf("trace metadata: %+v", tr)
	}

	// The page: the summary in words and the highlighted branch.
	resp, body = ts.get("/t/" + c.ID)
	if resp.StatusCode != 200 {
		t.Fatalf("GET page: %d", resp.StatusCode)
	}
	page := string(body)
	for _, s := range []string{
		"SecurityModeFailure (frame 7) 12.4 ms after SecurityModeCommand (frame 6, txid 2); RRCRelease 38.0 ms later (frame 8)",
		`id="m6" class="msg ul proto-nr-rrc role-smf"`,
		`id="m5" class="msg dl proto-nr-rrc role-smc-failed"`,
		`id="m7" class="msg dl proto-nr-rrc role-release-after-failure"`,
		`data-testid="ladder"`,
		"SRB1 · UL-DCCH",
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if n := strings.Count(page, `data-testid="arrow"`); n != 8 {
		t.Errorf("page has %d arrows, want 8", n)
	}

	// The standalone SVG: well-formed XML, the same arrows, styles inline.
	resp, body = ts.get("/t/" + c.ID + "/ladder.svg")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/svg+xml") {
		t.Fatalf("GET svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	checkXML(t, body)
	svg := string(body)
	if !strings.Contains(svg, "<style>") || strings.Count(svg, `data-testid="arrow"`) != 8 || !strings.Contains(svg, "role-smf") {
		t.Errorf("svg lacks styles or arrows:\n%.400s", svg)
	}
	if !strings.Contains(svg, ts.http.URL+"/t/"+c.ID+"/m/6") {
		t.Errorf("svg arrows do not link back to the page")
	}
}

func checkXML(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

func TestSameBytesSameLinkAndRestart(t *testing.T) {
	// Absolute links use the public URL, which does not change across
	// restarts (the test server's port does).
	ts := newTestServer(t, Config{BaseURL: "https://nrladder.example"})
	capFile := tracetest.Pcap(tracetest.SecurityModeFailure())
	_, body := ts.upload("/api/traces", "a.pcap", capFile)
	first := decode[created](t, body)
	resp, body := ts.upload("/api/traces", "b.pcap", capFile)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("second upload status = %d, want 200 (already stored)", resp.StatusCode)
	}
	second := decode[created](t, body)
	if first.ID != second.ID || second.Name != "a.pcap" {
		t.Errorf("second upload = %+v, want the first trace %+v", second, first)
	}

	// Another file, then a restart: both links show exactly what they showed.
	_, body = ts.upload("/api/traces", "normal.pcap", tracetest.Pcap(tracetest.Normal()))
	other := decode[created](t, body)
	if other.ID == first.ID {
		t.Fatal("different files got the same id")
	}
	paths := []string{"/t/" + first.ID, "/t/" + first.ID + "/ladder.svg", "/api/traces/" + first.ID, "/t/" + other.ID, "/api/traces/" + other.ID}
	before := map[string]string{}
	for _, p := range paths {
		_, b := ts.get(p)
		before[p] = string(b)
	}
	ts.restart()
	for _, p := range paths {
		resp, b := ts.get(p)
		if resp.StatusCode != 200 {
			t.Errorf("after restart %s: status %d", p, resp.StatusCode)
		}
		if string(b) != before[p] {
			t.Errorf("after restart %s differs:\n%s", p, cmp.Diff(before[p], string(b)))
		}
	}
}

func TestUploadErrors(t *testing.T) {
	ts := newTestServer(t, Config{MaxUpload: 4096})
	ok := tracetest.Pcap(tracetest.SecurityModeFailure())
	eth := capturetest.File{Format: capturetest.Pcap, LinkType: 105, Packets: []capturetest.Packet{
		{Time: tracetest.Start, Data: make([]byte, 60)}, {Time: tracetest.Start, Data: make([]byte, 60)},
	}}.Bytes()
	tests := []struct {
		name   string
		data   []byte
		status int
		msg    string // a part of the error
	}{
		{"not a capture", []byte("PK\x03\x04 this is a zip file, not a capture"), 422, "not a pcap or pcapng file"},
		{"unsupported link type", eth, 422, "link type 105: not supported yet (2 packets)"},
		{"truncated in the first packet", ok[:40], 422, "file ends inside packet 1"},
		{"too large", bytes.Repeat([]byte{0xd4, 0xc3, 0xb2, 0xa1}, 2000), 413, "larger than the 4 KiB upload limit"},
		{"empty", nil, 400, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.upload("/api/traces", "x.pcap", tt.data)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			e := decode[created](t, body)
			if !strings.Contains(e.Error, tt.msg) {
				t.Errorf("error %q does not say %q", e.Error, tt.msg)
			}
			// The same error on the form, with the form still there.
			resp, body = ts.upload("/upload", "x.pcap", tt.data)
			if resp.StatusCode != tt.status || !strings.Contains(string(body), htmlEscape(tt.msg)) || !strings.Contains(string(body), `data-testid="dropzone"`) {
				t.Errorf("form: status %d, want %d, body lacks the message or the form:\n%.600s", resp.StatusCode, tt.status, body)
			}
		})
	}

	// No file field at all.
	req, _ := http.NewRequest("POST", ts.http.URL+"/api/traces", strings.NewReader("--x--\r\n"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	resp, body := ts.do(req)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "no file") {
		t.Errorf("no file: %d %s", resp.StatusCode, body)
	}

	// A good upload after all these still works, and nothing was stored by them.
	resp, body = ts.upload("/api/traces", "ok.pcap", ok)
	if resp.StatusCode != 201 {
		t.Fatalf("good upload after errors: %d %s", resp.StatusCode, body)
	}
	var n int
	entries, _ := readDir(ts.dir + "/captures")
	n = len(entries)
	if n != 1 {
		t.Errorf("%d captures stored, want 1", n)
	}
}

func htmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestRawBodyUploadAndFormRedirect(t *testing.T) {
	ts := newTestServer(t, Config{})
	data := tracetest.Pcap(tracetest.Normal())
	req, _ := http.NewRequest("POST", ts.http.URL+"/api/traces?name=raw.pcap", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/vnd.tcpdump.pcap")
	resp, body := ts.do(req)
	if resp.StatusCode != 201 {
		t.Fatalf("raw upload: %d %s", resp.StatusCode, body)
	}
	c := decode[created](t, body)
	if c.Name != "raw.pcap" || c.Messages != 10 {
		t.Errorf("raw upload = %+v", c)
	}
	resp, _ = ts.upload("/upload", "form.pcap", tracetest.Pcap(tracetest.SecurityModeFailure()))
	if resp.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/t/[a-z2-7]{26}$`).MatchString(resp.Header.Get("Location")) {
		t.Errorf("form upload: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A trace without a failure says so.
	_, page := ts.get(c.URL)
	if !strings.Contains(string(page), "No SecurityModeFailure") {
		t.Errorf("clean trace page does not say there is no failure")
	}
}

func TestNotFound(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, p := range []string{"/t/aaaaaaaaaaaaaaaaaaaaaaaaaa", "/t/../../etc/passwd", "/api/traces/nope", "/t/aaaaaaaaaaaaaaaaaaaaaaaaaa/ladder.svg"} {
		resp, body := ts.get(p)
		if resp.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
		if strings.HasPrefix(p, "/api/") && !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s: no JSON error: %s", p, body)
		}
	}
}

func TestPagination(t *testing.T) {
	ts := newTestServer(t, Config{PageSize: 100})
	// 25 connections of 10 messages; the first failure is the 10th connection
	// (messages 90..97), so the default page is the first; make it later by
	// putting 30 normal connections first.
	steps := tracetest.Repeat(40) // failures at connections 9, 19, 29, 39
	_, body := ts.upload("/api/traces", "long.pcap", tracetest.Pcap(steps))
	c := decode[created](t, body)
	if c.Messages != 4*8+36*10 {
		t.Fatalf("messages = %d", c.Messages)
	}
	_, page := ts.get(c.URL)
	if n := strings.Count(string(page), `data-testid="arrow"`); n != 100 {
		t.Errorf("first page draws %d arrows, want 100", n)
	}
	if !strings.Contains(string(page), "page 1 of 4") {
		t.Errorf("pager missing")
	}
	_, page = ts.get(c.URL + "?page=4")
	if n := strings.Count(string(page), `data-testid="arrow"`); n != 92 {
		t.Errorf("last page draws %d arrows, want 92", n)
	}
	resp, _ := ts.get(c.URL + "?page=5")
	if resp.StatusCode != 404 {
		t.Errorf("page 5: status %d", resp.StatusCode)
	}
	// A message link finds its page.
	resp, _ = ts.get(fmt.Sprintf("%s/m/%d", c.URL, 250))
	if got, want := resp.Header.Get("Location"), c.URL+"?page=3&at=250#m250"; resp.StatusCode != 303 || got != want {
		t.Errorf("message link: %d %q, want 303 %q", resp.StatusCode, got, want)
	}
	// Many failures: ten are told in words, the rest counted.
	_, body = ts.upload("/api/traces", "many.pcap", tracetest.Pcap(tracetest.Repeat(130)))
	many := decode[created](t, body)
	_, page = ts.get(many.URL)
	if n := strings.Count(string(page), `data-testid="failure"`); n != 10 || !strings.Contains(string(page), "…and 3 more failures") {
		t.Errorf("%d failures listed; want 10 and a count of the 3 others", n)
	}
	resp, _ = ts.get(c.URL + "/m/99999")
	if resp.StatusCode != 404 {
		t.Errorf("missing message: %d", resp.StatusCode)
	}
}

// A small gzip file that expands past the limit is refused with 413.
func TestGzipBomb(t *testing.T) {
	ts := newTestServer(t, Config{Parse: parse.Options{Capture: capture.Options{MaxExpanded: 64 << 10}}})
	big := tracetest.Pcap(tracetest.Repeat(300)) // about 130 KiB
	resp, body := ts.upload("/api/traces", "bomb.pcap.gz", capturetest.Gzip(big))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "limit") {
		t.Errorf("status %d: %s", resp.StatusCode, body)
	}
}
