package lagpane

import (
	"context"
	"time"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Source is where the pane reads lag: lag.PromSource or a lag.KafkaSource.
type Source = lag.Source

// answer is one fetch's partitions, read at at.
type answer struct {
	at       time.Time
	parts    []lag.Partition
	warnings []string
}

// resultMsg answers a fetch (pane.Request routes it and drops it when
// stale).
type resultMsg = pane.Result[answer]

// fetch reads the partitions' lag over [from, at]; it runs in the
// request's Cmd, so it captures its inputs by value.
func fetch(src Source, from, at time.Time) func(context.Context) (answer, error) {
	return func(ctx context.Context) (answer, error) {
		parts, warnings, err := src.Partitions(ctx, "", from, at)
		for i := range warnings {
			warnings[i] = sanitize.Line(warnings[i])
		}
		return answer{at: at, parts: parts, warnings: warnings}, err
	}
}
