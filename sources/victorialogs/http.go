package victorialogs

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/sources/transport"
)

// VictoriaLogs' paths, below the address's own path prefix.
const (
	queryPath       = "/select/logsql/query"
	tailPath        = "/select/logsql/tail"
	fieldNamesPath  = "/select/logsql/field_names"
	fieldValuesPath = "/select/logsql/field_values"
	streamsPath     = "/select/logsql/streams"
	hitsPath        = "/select/logsql/hits"
	healthPath      = "/health"
)

// maxErrorBody bounds how much of a failed answer is read for its reason.
const maxErrorBody = 64 << 10

// tenantHeaders turns the tenant setting into VictoriaLogs' AccountID and
// ProjectID headers (see the package doc). The returned options carry
// them in Headers and no Tenant, so transport does not also send the
// default X-Scope-OrgID.
func tenantHeaders(o transport.Options) (transport.Options, error) {
	if o.Tenant == "" || o.TenantHeader != "" {
		return o, nil
	}
	acct, proj, hasProj := strings.Cut(o.Tenant, ":")
	if !hasProj {
		proj = "0"
	}
	for _, s := range []string{acct, proj} {
		if _, err := strconv.ParseUint(s, 10, 32); err != nil {
			return o, configError(`tenant must be "AccountID:ProjectID" or "AccountID", two unsigned 32-bit numbers`)
		}
	}
	h := make(map[string]string, len(o.Headers)+2)
	for k, v := range o.Headers {
		switch http.CanonicalHeaderKey(k) {
		case "Accountid", "Projectid":
			continue // the tenant setting wins
		}
		h[k] = v
	}
	h["AccountID"], h["ProjectID"] = acct, proj
	o.Headers, o.Tenant = h, ""
	return o, nil
}

// endpoint is the URL of path under the base address.
func (c *Client) endpoint(path string) *url.URL {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = ""
	return &u
}

// post sends form to path and returns the answer when it is a 2xx. The
// caller closes the body. query is the LogsQL sent, used only to shorten
// VictoriaLogs' echo of it in an error.
func (c *Client) post(ctx context.Context, op, path string, form url.Values, query string) (*http.Response, error) {
	u := c.endpoint(path)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, transportError(op, u, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, transportError(op, u, err)
	}
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		_ = resp.Body.Close()
		return nil, httpError(op, resp.StatusCode, body, query)
	}
	return resp, nil
}

// getJSON posts form to path and decodes a JSON answer of at most maxBody
// bytes into v.
func (c *Client) getJSON(ctx context.Context, op, path string, form url.Values, query string, v any) error {
	resp, err := c.post(ctx, op, path, form, query)
	if err != nil {
		return err
	}
	defer drainClose(resp.Body)
	lr := &io.LimitedReader{R: resp.Body, N: maxJSONBody + 1}
	data, err := io.ReadAll(lr)
	if err != nil {
		return transportError(op, c.endpoint(path), err)
	}
	if lr.N <= 0 {
		return &sources.Error{Backend: backend, Op: op, Kind: sources.KindTooMuchData,
			Msg: fmt.Sprintf("answer larger than %d MiB; narrow the query or the window", maxJSONBody>>20)}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return badResponse(op, err)
	}
	return nil
}

// maxJSONBody bounds a field list, stream list or hits answer.
const maxJSONBody = 64 << 20

func badResponse(op string, err error) error {
	return &sources.Error{Backend: backend, Op: op, Kind: sources.KindBadResponse,
		Msg: "could not decode the answer: " + cut(sanitize.Line(err.Error()), 200), Err: err}
}

// drainClose reads a little of what is left so the connection can go back
// to the pool, then closes.
func drainClose(rc io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, rc, 4<<10)
	_ = rc.Close()
}

// transportError wraps a failure to talk to VictoriaLogs (see
// sources.TransportError).
func transportError(op string, u *url.URL, err error) error {
	return sources.TransportError(backend, op, http.MethodPost, u, err)
}

// httpError builds the typed error for a non-2xx answer, keeping the
// server's own text, sanitized, without its echo of a query we sent.
func httpError(op string, status int, body []byte, query string) *sources.Error {
	msg := shortenEcho(sources.HTTPErrorText(status, body), query)
	e := sources.HTTPError(backend, op, status, cut(sanitize.Line(msg), 400))
	e.Kind = sources.KindForAnswer(status, msg)
	return e
}

// streamError is an error VictoriaLogs wrote into a 2xx answer it had
// already begun (it then aborts the connection): HTML-escaped text on a
// line of its own.
func streamError(op string, line []byte, query string) *sources.Error {
	msg := shortenEcho(html.UnescapeString(strings.TrimSpace(string(line))), query)
	kind := sources.KindForAnswer(http.StatusInternalServerError, msg)
	return &sources.Error{Backend: backend, Op: op, Kind: kind, Msg: cut(sanitize.Line(msg), 400)}
}

// shortenEcho drops VictoriaLogs' verbatim echo of the query from
// "cannot parse `query` arg [<query>]: <reason>", leaving the reason: the
// user has the query in front of them, and a long one would push the
// reason past the cut.
func shortenEcho(msg, query string) string {
	if query == "" {
		return msg
	}
	prefix := "cannot parse `query` arg [" + query + "]: "
	if strings.HasPrefix(msg, prefix) {
		return "cannot parse query: " + msg[len(prefix):]
	}
	return msg
}

// cut shortens s to at most n bytes, ellipsis included, without splitting
// a UTF-8 sequence.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return sources.Truncate(s, n-len("…"))
}
