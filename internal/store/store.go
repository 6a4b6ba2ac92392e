// Package store keeps uploaded captures and their ladder models: the embedded
// default store, which needs no setup — a data directory holding an SQLite
// database (pure Go) for the models and the original capture files beside it.
//
// Traces are content-addressed: the id derives from the SHA-256 of the bytes,
// so the same file always gets the same link. Writes are atomic (temp file +
// rename, one transaction per trace): a crash mid-upload never leaves a half
// trace behind a link. It imports ladder and must not import server or web.
package store

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nrladder/nrladder/internal/ladder"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned for an id (or message) the store does not hold.
var ErrNotFound = errors.New("store: not found")

// ErrExists is returned by Create when the trace is already stored.
var ErrExists = errors.New("store: trace exists")

// modelVersion is written with every trace so that a later program can tell
// which analysis produced a stored model.
const modelVersion = 1

// Store is the embedded default store.
type Store struct {
	dir string
	db  *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS traces (
	id            TEXT PRIMARY KEY,
	uploaded      TEXT NOT NULL,
	model_version INTEGER NOT NULL,
	message_count INTEGER NOT NULL,
	meta          BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
	trace_id TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	ue       TEXT NOT NULL,
	ue_seq   INTEGER NOT NULL,
	body     BLOB NOT NULL,
	detail   BLOB,
	PRIMARY KEY (trace_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_by_ue ON messages (trace_id, ue, ue_seq);
CREATE TABLE IF NOT EXISTS details (
	trace_id TEXT NOT NULL,
	block    INTEGER NOT NULL,
	data     BLOB NOT NULL,
	PRIMARY KEY (trace_id, block)
) WITHOUT ROWID;
`

// Open opens (creating if needed) the store in dir.
func Open(dir string) (*Store, error) {
	for _, d := range []string{dir, filepath.Join(dir, "captures"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	// Uploads that were in progress when the program stopped are gone.
	if tmp, err := os.ReadDir(filepath.Join(dir, "tmp")); err == nil {
		for _, e := range tmp {
			os.Remove(filepath.Join(dir, "tmp", e.Name()))
		}
	}
	dsn := "file:" + filepath.Join(dir, "nrladder.db") +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: creating schema: %w", err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: migrating: %w", err)
	}
	return &Store{dir: dir, db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// ID derives a trace id from the SHA-256 of its bytes: 128 bits, base32,
// lowercase, 26 characters.
func ID(sum [32]byte) string {
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16]))
}

// ValidID tells whether s has the form of a trace id (so that nothing else
// reaches the database or the file system).
func ValidID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// CreateTemp makes a temporary file for an upload in progress, on the same
// file system as the final place of captures.
func (s *Store) CreateTemp() (*os.File, error) {
	return os.CreateTemp(filepath.Join(s.dir, "tmp"), "upload-*")
}

func (s *Store) capturePath(id string) string {
	return filepath.Join(s.dir, "captures", id)
}

// Has tells whether a trace is stored.
func (s *Store) Has(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM traces WHERE id = ?`, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	return n > 0, nil
}

// Create stores a trace and its original capture. The capture file at
// tempPath is moved into the store; on error it is left where it was.
// A trace that is already stored is left untouched (ErrExists).
func (s *Store) Create(ctx context.Context, t *ladder.Trace, tempPath string) error {
	meta := *t
	meta.Messages = nil
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO traces (id, uploaded, model_version, message_count, meta) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		t.ID, t.Uploaded.UTC().Format(ladder.TimeFormat), modelVersion, len(t.Messages), metaJSON)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrExists
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO messages (trace_id, seq, ue, ue_seq, body) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer stmt.Close()
	details, err := tx.PrepareContext(ctx, `INSERT INTO details (trace_id, block, data) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer details.Close()
	var z compressor
	block := make([]ladder.Detail, 0, detailBlock)
	flush := func(seq int) error {
		if len(block) == 0 {
			return nil
		}
		data, err := z.compress(block)
		if err != nil {
			return err
		}
		block = block[:0]
		_, err = details.ExecContext(ctx, t.ID, seq/detailBlock, data)
		return err
	}
	for i := range t.Messages {
		m := &t.Messages[i]
		body, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("store: message %d: %w", m.Seq, err)
		}
		if _, err := stmt.ExecContext(ctx, t.ID, m.Seq, m.UE, m.UESeq, body); err != nil {
			return fmt.Errorf("store: message %d: %w", m.Seq, err)
		}
		block = append(block, m.Detail())
		if len(block) == detailBlock {
			if err := flush(m.Seq); err != nil {
				return fmt.Errorf("store: message %d: %w", m.Seq, err)
			}
		}
	}
	if err := flush(len(t.Messages) - 1); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	// The capture goes into place before the commit: a crash in between
	// leaves a file nobody links to, never a link without its file.
	if err := os.Rename(tempPath, s.capturePath(t.ID)); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		os.Rename(s.capturePath(t.ID), tempPath)
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// Trace returns a stored trace without its messages.
func (s *Store) Trace(ctx context.Context, id string) (*ladder.Trace, error) {
	var meta []byte
	err := s.db.QueryRowContext(ctx, `SELECT meta FROM traces WHERE id = ?`, id).Scan(&meta)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	var t ladder.Trace
	if err := json.Unmarshal(meta, &t); err != nil {
		return nil, fmt.Errorf("store: trace %s: %w", id, err)
	}
	return &t, nil
}

// Messages returns up to n messages of one UE's ladder, from its ueSeq from.
func (s *Store) Messages(ctx context.Context, id, ue string, from, n int) ([]ladder.Message, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM messages WHERE trace_id = ? AND ue = ? AND ue_seq >= ? ORDER BY ue_seq LIMIT ?`, id, ue, from, n)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []ladder.Message
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		m, err := decodeMessage(body)
		if err != nil {
			return nil, fmt.Errorf("store: trace %s: %w", id, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Message returns one message by its position in the trace.
func (s *Store) Message(ctx context.Context, id string, seq int) (ladder.Message, error) {
	var body []byte
	err := s.db.QueryRowContext(ctx, `SELECT body FROM messages WHERE trace_id = ? AND seq = ?`, id, seq).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return ladder.Message{}, ErrNotFound
	}
	if err != nil {
		return ladder.Message{}, fmt.Errorf("store: %w", err)
	}
	m, err := decodeMessage(body)
	if err != nil {
		return ladder.Message{}, fmt.Errorf("store: trace %s: %w", id, err)
	}
	return m, nil
}

// decodeMessage reads a stored message back as it was written: an absent
// decode (JSON null) stays nil.
func decodeMessage(body []byte) (ladder.Message, error) {
	var m ladder.Message
	if err := json.Unmarshal(body, &m); err != nil {
		return m, err
	}
	if string(m.ASN1) == "null" {
		m.ASN1 = nil
	}
	return m, nil
}

// detailBlock is how many messages' display trees are compressed together:
// one by one, DEFLATE spends more on its tables than it saves.
const detailBlock = 64

// Detail returns one message with the trees its details panel shows.
func (s *Store) Detail(ctx context.Context, id string, seq int) (ladder.Message, ladder.Detail, error) {
	var body, detail []byte
	err := s.db.QueryRowContext(ctx, `SELECT body FROM messages WHERE trace_id = ? AND seq = ?`, id, seq).Scan(&body)
	if err == nil {
		err = s.db.QueryRowContext(ctx, `SELECT data FROM details WHERE trace_id = ? AND block = ?`, id, seq/detailBlock).Scan(&detail)
		if errors.Is(err, sql.ErrNoRows) {
			err = nil // stored without trees
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ladder.Message{}, ladder.Detail{}, ErrNotFound
	}
	if err != nil {
		return ladder.Message{}, ladder.Detail{}, fmt.Errorf("store: %w", err)
	}
	m, err := decodeMessage(body)
	if err != nil {
		return m, ladder.Detail{}, fmt.Errorf("store: trace %s: %w", id, err)
	}
	var block []ladder.Detail
	if err := decompress(detail, &block); err != nil {
		return m, ladder.Detail{}, fmt.Errorf("store: trace %s message %d: %w", id, seq, err)
	}
	var d ladder.Detail
	if i := seq % detailBlock; i < len(block) {
		d = block[i]
	}
	return m, d, nil
}

// WriteMessages writes the JSON of every message of a trace, in order and
// comma-separated, without holding them all in memory.
func (s *Store) WriteMessages(ctx context.Context, id string, w io.Writer) error {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM messages WHERE trace_id = ? ORDER BY seq`, id)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	first := true
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if !first {
			if _, err := w.Write([]byte{','}); err != nil {
				return err
			}
		}
		first = false
		if _, err := w.Write(body); err != nil {
			return err
		}
	}
	return rows.Err()
}

// OpenCapture opens the original capture of a trace.
func (s *Store) OpenCapture(id string) (*os.File, error) {
	f, err := os.Open(s.capturePath(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// migrate brings a database made by an earlier version up to this schema.
func migrate(db *sql.DB) error {
	rows, err := db.Query(`SELECT name FROM pragma_table_info('messages')`)
	if err != nil {
		return err
	}
	cols := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		cols[name] = true
	}
	rows.Close()
	if !cols["detail"] {
		if _, err := db.Exec(`ALTER TABLE messages ADD COLUMN detail BLOB`); err != nil {
			return err
		}
	}
	return nil
}

// compressor stores values as DEFLATE-compressed JSON: display trees
// repeat their field names, and shrink about fivefold. One compressor is
// reused for a whole trace: a flate writer costs about a megabyte to make.
type compressor struct {
	w *flate.Writer
	b bytes.Buffer
}

func (z *compressor) compress(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	z.b.Reset()
	if z.w == nil {
		z.w, _ = flate.NewWriter(&z.b, flate.BestSpeed)
	} else {
		z.w.Reset(&z.b)
	}
	z.w.Write(raw)
	if err := z.w.Close(); err != nil {
		return nil, err
	}
	return bytes.Clone(z.b.Bytes()), nil
}

func decompress(b []byte, v any) error {
	if len(b) == 0 {
		return nil
	}
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(b)))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}
