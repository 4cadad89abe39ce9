package runbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/sources/sanitize"
)

// Defaults for Options' zero values.
const (
	DefaultMaxBytes = 256 << 10
	DefaultTimeout  = 10 * time.Second
)

// Options say where runbooks may come from.
type Options struct {
	// Dir is the context's runbook directory (or Git checkout); "" means
	// none. Local runbooks are read only from inside it.
	Dir string
	// AllowedHosts are the hosts (host or host:port, case-insensitive) a
	// runbook URL may be fetched from; empty allows none.
	AllowedHosts []string
	MaxBytes     int64
	Timeout      time.Duration
	// Client is used for fetches; nil means a plain http.Client.
	Client *http.Client
}

// Ref says where an alert's runbook is.
type Ref struct {
	// URL is the annotation's URL when it is not a local file; it is
	// shown and copied even when it cannot be fetched.
	URL string
	// Path is a local file, relative to Options.Dir.
	Path string
	// Via says how it was found, for the view: "runbook_url annotation",
	// "runbook annotation", "alert name", "service".
	Via string
	// Fallback is a local file to read when URL cannot be fetched.
	Fallback string
}

// annotations in the order they are tried.
var annotations = []string{"runbook_url", "runbook"}

// Locate finds an alert's runbook: a runbook_url or runbook annotation
// first, else <dir>/<alertname>.md, else <dir>/<service>.md. When an
// annotation names a URL, the directory's match is kept as a fallback.
// It reads only the directory listing (to match names); ok is false
// when nothing names a runbook.
func Locate(labels, annots map[string]string, dir string) (Ref, bool) {
	var ref Ref
	for _, k := range annotations {
		v := strings.TrimSpace(sanitize.Line(annots[k]))
		if v == "" {
			continue
		}
		ref.Via = k + " annotation"
		if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			ref.URL = v
		} else if err == nil && u.Scheme == "file" {
			ref.Path = u.Path
		} else {
			ref.Path = v
		}
		break
	}
	if ref.Path != "" {
		return ref, true
	}
	local, via := "", ""
	if dir != "" {
		for _, c := range []struct{ name, via string }{{labels["alertname"], "alert name"}, {labels["service"], "service"}} {
			if p := matchFile(dir, c.name); p != "" {
				local, via = p, c.via
				break
			}
		}
	}
	switch {
	case ref.URL != "":
		ref.Fallback = local
		return ref, true
	case local != "":
		return Ref{Path: local, Via: via}, true
	}
	return Ref{}, false
}

// matchFile finds name.md (or .markdown) in dir, ignoring case; name must
// be a plain file name.
func matchFile(dir, name string) string {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return ""
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, ext := range []string{".md", ".markdown"} {
		for _, e := range entries {
			if !e.IsDir() && strings.EqualFold(e.Name(), name+ext) {
				return e.Name()
			}
		}
	}
	return ""
}

// ErrHostNotAllowed is returned for a runbook URL whose host is not on
// the allowed list.
var ErrHostNotAllowed = errors.New("host not allowed")

// Loaded is a runbook read from its Ref.
type Loaded struct {
	Doc
	// Source names where the text came from: the URL or the local path.
	Source string
	// FetchErr says why the URL was not used when the text came from the
	// fallback file instead.
	FetchErr error
}

// Load reads the runbook ref points to. A URL that cannot be fetched
// (host not allowed, not Markdown, too big, unreachable) falls back to
// the directory's match when there is one, with the reason in FetchErr.
func Load(ctx context.Context, ref Ref, opt Options) (Loaded, error) {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if ref.URL == "" {
		return readLocal(opt.Dir, ref.Path, opt.MaxBytes)
	}
	md, err := Fetch(ctx, ref.URL, opt)
	if err == nil {
		return Loaded{Doc: Parse(md), Source: sanitize.Line(ref.URL)}, nil
	}
	if ref.Fallback == "" {
		return Loaded{}, err
	}
	l, lerr := readLocal(opt.Dir, ref.Fallback, opt.MaxBytes)
	if lerr != nil {
		return Loaded{}, errors.Join(err, lerr)
	}
	l.FetchErr = err
	return l, nil
}

// readLocal reads rel from inside dir; a path that leaves dir (.., an
// absolute path elsewhere, a symlink out) is refused by os.Root.
func readLocal(dir, rel string, limit int64) (Loaded, error) {
	if dir == "" {
		return Loaded{}, fmt.Errorf("runbook %s is a local file, but this context names no runbook directory (runbooks.dir)", sanitize.Line(rel))
	}
	if filepath.IsAbs(rel) {
		if r, err := filepath.Rel(dir, rel); err == nil && !strings.HasPrefix(r, "..") {
			rel = r
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Loaded{}, fmt.Errorf("open runbook directory: %w", err)
	}
	defer root.Close()
	f, err := root.Open(filepath.Clean(rel))
	if err != nil {
		return Loaded{}, fmt.Errorf("read runbook: %s", sanitize.Line(err.Error()))
	}
	defer f.Close()
	data, err := readLimited(f, limit)
	if err != nil {
		return Loaded{}, fmt.Errorf("read runbook %s: %w", sanitize.Line(rel), err)
	}
	return Loaded{Doc: Parse(string(data)), Source: sanitize.Line(filepath.Join(dir, rel))}, nil
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than the %d KiB limit", limit>>10)
	}
	return data, nil
}

// HostAllowed reports whether u's host is on the allowed list: the host
// alone matches any port, host:port only that port.
func HostAllowed(u *url.URL, allowed []string) bool {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	return slices.ContainsFunc(allowed, func(a string) bool {
		a = strings.ToLower(strings.TrimSpace(a))
		if h, p, err := net.SplitHostPort(a); err == nil {
			return h == host && p == port
		}
		return a == host
	})
}

// markdownTypes are the content types taken as plain Markdown.
var markdownTypes = []string{"text/markdown", "text/x-markdown", "text/plain"}

// Fetch GETs a Markdown runbook from an allowed host (redirects included)
// within opt's timeout and size limit, and returns it sanitized.
func Fetch(ctx context.Context, raw string, opt Options) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("runbook URL %q is not an http(s) URL", sanitize.Line(raw))
	}
	if !HostAllowed(u, opt.AllowedHosts) {
		return "", fmt.Errorf("refused to fetch the runbook: %w: %s is not in runbooks.allowed_hosts", ErrHostNotAllowed, sanitize.Line(u.Host))
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	c := http.Client{Timeout: opt.Timeout}
	if opt.Client != nil {
		c = *opt.Client
		c.Timeout = opt.Timeout
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if !HostAllowed(req.URL, opt.AllowedHosts) {
			return fmt.Errorf("refused to follow a redirect: %w: %s", ErrHostNotAllowed, sanitize.Line(req.URL.Host))
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "text/markdown, text/plain;q=0.9")
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("fetch runbook from %s: %s", sanitize.Line(u.Host), sanitize.Line(err.Error()))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetch runbook from %s: HTTP %d", sanitize.Line(u.Host), resp.StatusCode)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	ext := strings.ToLower(path.Ext(u.Path))
	if !slices.Contains(markdownTypes, mt) && !(mt == "application/octet-stream" && (ext == ".md" || ext == ".markdown")) {
		return "", fmt.Errorf("runbook at %s is %s, not plain Markdown; open it in a browser", sanitize.Line(u.Host), orUnknown(sanitize.Line(mt)))
	}
	data, err := readLimited(resp.Body, opt.MaxBytes)
	if err != nil {
		return "", fmt.Errorf("fetch runbook from %s: %w", sanitize.Line(u.Host), err)
	}
	return sanitize.Text(string(data)), nil
}

func orUnknown(s string) string {
	if s == "" {
		return "of no stated type"
	}
	return s
}
