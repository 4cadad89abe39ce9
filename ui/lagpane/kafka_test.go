package lagpane

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reltui/reltui/config"
)

func TestLazyKafkaBuildsInFetchAndRetriesAfterError(t *testing.T) {
	var reads atomic.Int32
	pw := ""
	env := config.Env{
		Getenv: func(string) string { return "" },
		ReadFile: func(string) ([]byte, error) {
			reads.Add(1)
			if pw == "" {
				return nil, fs.ErrNotExist
			}
			return []byte(pw), nil
		},
		Stat: func(string) (fs.FileInfo, error) { return nil, fs.ErrNotExist },
	}
	k := &lazyKafka{env: env, cfg: &config.Kafka{Brokers: []string{"127.0.0.1:1"},
		SASL: &config.SASL{Mechanism: "PLAIN", Username: "u", Password: &config.Secret{File: "/secret"}}}}
	defer k.Close()
	if reads.Load() != 0 {
		t.Fatal("building the source read a file")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, _, err := k.Partitions(ctx, "", time.Now().Add(-time.Minute), time.Now())
	if err == nil || !strings.Contains(err.Error(), "kafka sasl password") || reads.Load() != 1 {
		t.Fatalf("first fetch: err %v after %d reads, want the secret error", err, reads.Load())
	}
	// The secret appears: the next fetch builds the client.
	pw = "s3cret"
	if _, err := k.source(); err != nil || reads.Load() != 2 {
		t.Fatalf("second build: %v after %d reads", err, reads.Load())
	}
	// Built once: later fetches reuse it.
	if _, err := k.source(); err != nil || reads.Load() != 2 {
		t.Fatalf("third build: %v after %d reads", err, reads.Load())
	}
	k.Close()
	k2 := &lazyKafka{env: env, cfg: k.cfg}
	k2.Close()
	if _, err := k2.source(); !errors.Is(err, context.Canceled) || reads.Load() != 2 {
		t.Fatalf("a closed source built a client: %v", err)
	}
}
