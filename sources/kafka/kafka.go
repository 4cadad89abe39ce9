// Package kafka reads consumer-group offsets straight from Kafka brokers
// with franz-go's admin client (kadm), for consumer lag when no
// kafka_exporter feeds Prometheus. It reads; it never commits or produces.
package kafka

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/sanitize"
)

// Config is how to reach the brokers.
type Config struct {
	Brokers  []string
	ClientID string
	TLS      *tls.Config
	SASL     sasl.Mechanism
	// Guard wraps every call; nil builds one with resilience.DefaultPolicy
	// and Timeout.
	Guard   *resilience.Guard
	Timeout time.Duration
}

// Client reads offsets. It is safe for concurrent use.
type Client struct {
	cl    *kgo.Client
	adm   *kadm.Client
	guard *resilience.Guard
}

// New validates cfg and builds the client. It does not dial: franz-go
// connects on the first request.
func New(cfg Config) (*Client, error) {
	if len(cfg.Brokers) == 0 {
		return nil, sources.ConfigError(backend, "no brokers", nil)
	}
	for _, b := range cfg.Brokers {
		if h, p, ok := strings.Cut(b, ":"); !ok || h == "" || p == "" {
			return nil, sources.ConfigError(backend, fmt.Sprintf("broker %q is not host:port", b), nil)
		}
	}
	opts := []kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}
	if cfg.ClientID != "" {
		opts = append(opts, kgo.ClientID(cfg.ClientID))
	} else {
		opts = append(opts, kgo.ClientID("reltui"))
	}
	if cfg.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(cfg.TLS))
	}
	if cfg.SASL != nil {
		opts = append(opts, kgo.SASL(cfg.SASL))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, sources.ConfigError(backend, err.Error(), err)
	}
	g := cfg.Guard
	if g == nil {
		p := resilience.DefaultPolicy()
		if cfg.Timeout > 0 {
			p.Timeout = cfg.Timeout
		}
		g = resilience.New(backend, p)
	}
	return &Client{cl: cl, adm: kadm.NewClient(cl), guard: g}, nil
}

// Close ends the broker connections.
func (c *Client) Close() { c.cl.Close() }

// Guard is the client's resilience guard, for health reporting.
func (c *Client) Guard() *resilience.Guard { return c.guard }

// PartitionOffsets is one partition's offsets for one group at one moment.
type PartitionOffsets struct {
	Group     string
	Topic     string
	Partition int32
	// Committed is the group's committed offset (the next message it will
	// read), or -1 when it has committed none on this partition.
	Committed int64
	// End is the partition's log-end offset (the next offset produced).
	End int64
}

// Groups lists the consumer groups the cluster knows, sorted.
func (c *Client) Groups(ctx context.Context) ([]string, error) {
	return resilience.Call(ctx, c.guard, "list_groups", true, func(ctx context.Context) ([]string, error) {
		gs, err := c.adm.ListGroups(ctx)
		if err != nil {
			return nil, classify(err)
		}
		names := gs.Groups()
		slices.Sort(names)
		return names, nil
	})
}

// Offsets reads the committed and log-end offsets of every partition the
// groups have committed on (all groups when none are named), sorted by
// group, topic and partition. Names from the cluster are sanitized.
func (c *Client) Offsets(ctx context.Context, groups ...string) ([]PartitionOffsets, error) {
	if len(groups) == 0 {
		var err error
		if groups, err = c.Groups(ctx); err != nil {
			return nil, err
		}
		if len(groups) == 0 {
			return nil, nil
		}
	}
	return resilience.Call(ctx, c.guard, "offsets", true, func(ctx context.Context) ([]PartitionOffsets, error) {
		// kadm.Lag reuses the slice it is given; hand it a copy.
		lags, err := c.adm.Lag(ctx, slices.Clone(groups)...)
		if err != nil {
			return nil, classify(err)
		}
		var out []PartitionOffsets
		for _, g := range groups {
			dl, ok := lags[g]
			if !ok {
				continue
			}
			if err := dl.Error(); err != nil {
				return nil, classify(fmt.Errorf("group %s: %w", sanitize.Line(g), err))
			}
			for _, l := range dl.Lag.Sorted() {
				if l.End.Err != nil {
					return nil, classify(fmt.Errorf("end offset of %s/%d: %w", sanitize.Line(l.Topic), l.Partition, l.End.Err))
				}
				committed := int64(-1)
				if l.Commit.At >= 0 {
					committed = l.Commit.At
				}
				out = append(out, PartitionOffsets{
					Group: sanitize.Line(g), Topic: sanitize.Line(l.Topic), Partition: l.Partition,
					Committed: committed, End: l.End.Offset,
				})
			}
		}
		slices.SortFunc(out, func(a, b PartitionOffsets) int {
			if c := strings.Compare(a.Group, b.Group); c != 0 {
				return c
			}
			if c := strings.Compare(a.Topic, b.Topic); c != 0 {
				return c
			}
			return int(a.Partition - b.Partition)
		})
		return out, nil
	})
}

// backend is how Kafka appears in errors and in the guard.
const backend = "kafka"

// classify turns franz-go's errors into a sources.Error with a Kind the
// console can act on: the same Kind an HTTP or gRPC backend gives for the
// same fault. A Kafka error code is the broker's own answer, so one that is
// not about auth, quota or a missing group is the server's problem.
func classify(err error) error {
	var ke *kerr.Error
	kind := sources.Classify(err)
	switch {
	case errors.As(err, &ke):
		switch ke {
		case kerr.GroupAuthorizationFailed, kerr.TopicAuthorizationFailed, kerr.ClusterAuthorizationFailed,
			kerr.TransactionalIDAuthorizationFailed, kerr.DelegationTokenAuthorizationFailed,
			kerr.SaslAuthenticationFailed, kerr.IllegalSaslState, kerr.UnsupportedSaslMechanism:
			kind = sources.KindUnauthorized
		case kerr.ThrottlingQuotaExceeded:
			kind = sources.KindRateLimited
		case kerr.GroupIDNotFound:
			kind = sources.KindNotFound
		case kerr.RequestTimedOut:
			kind = sources.KindTimeout
		default:
			kind = sources.KindServerError
		}
	case kind == sources.KindUnknown && (errors.Is(err, io.EOF) || strings.Contains(err.Error(), "unable to dial")):
		// The broker closed the connection (franz-go's ErrFirstReadEOF
		// wraps io.EOF), or no broker could be dialled.
		kind = sources.KindUnreachable
	}
	return &sources.Error{Backend: backend, Kind: kind, Msg: sanitize.Line(err.Error()), Err: err}
}
