package victorialogs

import (
	"time"

	"github.com/reltui/reltui/sources/logtail"
)

// Live-tail defaults. /select/logsql/tail re-runs the query every
// refresh interval over the window ending offset before now, and per
// stream passes on only entries newer than the last it sent: an entry that
// becomes searchable after a newer one of its stream was sent is lost.
// The offset is the margin for that; VictoriaLogs' own default is 5s and
// its data takes about a second or two to become searchable after ingest.
const (
	// DefaultTailOffset is how far behind now the live stream runs.
	DefaultTailOffset = 5 * time.Second
	// DefaultTailRefresh is how often the server looks for new lines.
	DefaultTailRefresh = time.Second
	// DefaultTailIdleProbe is how long a tail may go without a byte before
	// the client asks /health whether the server is still there: the tail
	// endpoint sends nothing while no line matches, so silence alone
	// cannot tell an idle stream from a dead server.
	DefaultTailIdleProbe = 30 * time.Second
)

// TailConfig tunes live tails. Zero fields take the defaults.
type TailConfig struct {
	// Offset is how far behind now the live stream runs (the tail
	// endpoint's offset). Lower means fresher lines and a higher risk of
	// losing lines that arrive late; see DefaultTailOffset.
	Offset time.Duration
	// Refresh is how often the server looks for new lines.
	Refresh time.Duration
	// IdleProbe is how long a silent tail waits before checking the
	// server's health; a failed check reconnects the tail.
	IdleProbe time.Duration
	// Engine tunes the reconnecting engine: backoff, catch-up bounds, the
	// de-duplication memory and the clock.
	Engine logtail.Options
}

func (t TailConfig) withDefaults() (TailConfig, error) {
	if t.Offset < 0 || t.Refresh < 0 || t.IdleProbe < 0 {
		return t, configError("tail durations must not be negative")
	}
	if t.Offset == 0 {
		t.Offset = DefaultTailOffset
	}
	if t.Refresh == 0 {
		t.Refresh = DefaultTailRefresh
	}
	if t.IdleProbe == 0 {
		t.IdleProbe = DefaultTailIdleProbe
	}
	return t, nil
}
