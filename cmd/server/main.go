// Command server runs nrladder: the web pages and the HTTP API, on the
// embedded default store under a data directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/nrladder/nrladder/internal/server"
	"github.com/nrladder/nrladder/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "nrladder:", err)
		os.Exit(1)
	}
}

// config is what the flags and environment say.
type config struct {
	addr      string
	data      string
	maxUpload int64
	baseURL   string
	guard     time.Duration
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.addr, "addr", env("NRLADDER_ADDR", ":8080"), "listen address (env NRLADDER_ADDR)")
	fs.StringVar(&c.data, "data", env("NRLADDER_DATA", "./data"), "data directory: database and captures (env NRLADDER_DATA)")
	maxUpload := fs.String("max-upload", env("NRLADDER_MAX_UPLOAD", "512MiB"), "largest accepted upload, e.g. 512MiB, 2GiB, 1000000 (env NRLADDER_MAX_UPLOAD)")
	fs.StringVar(&c.baseURL, "base-url", env("NRLADDER_BASE_URL", ""), "public URL for absolute links, e.g. https://nrladder.example.com (env NRLADDER_BASE_URL; default: from each request)")
	guard := fs.String("guard-time", env("NRLADDER_GUARD_TIME", "1s"), "how long a SecurityModeCommand may stay unanswered before it counts as failed (env NRLADDER_GUARD_TIME)")
	if err := fs.Parse(args[1:]); err != nil {
		return c, err
	}
	n, err := parseSize(*maxUpload)
	if err != nil {
		return c, fmt.Errorf("-max-upload: %w", err)
	}
	c.maxUpload = n
	if c.guard, err = time.ParseDuration(*guard); err != nil || c.guard <= 0 {
		return c, fmt.Errorf("-guard-time: %q is not a positive duration", *guard)
	}
	return c, nil
}

// parseSize reads "512MiB", "2GiB", "100KB" or a plain byte count.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if len(s) > len(u.suffix) && s[len(s)-len(u.suffix):] == u.suffix {
			s, mult = s[:len(s)-len(u.suffix)], u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return n * mult, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	st, err := store.Open(c.data)
	if err != nil {
		return err
	}
	defer st.Close()

	srv := server.New(server.Config{MaxUpload: c.maxUpload, BaseURL: c.baseURL, GuardTime: c.guard}, st, log)
	hs := &http.Server{
		Addr:              c.addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Minute, // large uploads on slow links
		WriteTimeout:      30 * time.Minute, // parsing a large capture happens before the answer
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "nrladder listening on http://%s (data in %s)\n", displayAddr(ln.Addr()), c.data)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func displayAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return "localhost:" + strconv.Itoa(tcp.Port)
	}
	return a.String()
}
