// Package static holds the browser assets (CSS, JavaScript, icons), embedded
// in the binary and served under content-hashed URLs so that browsers may
// cache them forever. It imports nothing from the project.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed *.css *.js *.svg
var files embed.FS

// Prefix is where the assets are mounted.
const Prefix = "/static/"

var hashes = func() map[string]string {
	m := map[string]string{}
	entries, _ := fs.ReadDir(files, ".")
	for _, e := range entries {
		b, _ := files.ReadFile(e.Name())
		sum := sha256.Sum256(b)
		m[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return m
}()

// URL returns the content-hashed URL of an asset: /static/<hash>/<name>.
func URL(name string) string {
	return Prefix + hashes[name] + "/" + name
}

// Handler serves the assets mounted at Prefix. A URL whose hash is current is
// cacheable forever; an old hash still serves the current file, uncached.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, Prefix)
		hash, name, ok := strings.Cut(rest, "/")
		if !ok || path.Base(name) != name {
			http.NotFound(w, r)
			return
		}
		want, known := hashes[name]
		if !known {
			http.NotFound(w, r)
			return
		}
		if hash == want {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeFileFS(w, r, files, name)
	})
}
