// Command pushlines pushes N synthetic log lines to Loki under one unique
// label set, for benchmarks. Lines are spread one millisecond apart ending
// now, so the whole set sits inside a short window.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	addr := flag.String("loki", "", "Loki base URL")
	n := flag.Int("n", 100000, "lines to push")
	label := flag.String("run", "", "value of the bench_run label")
	batch := flag.Int("batch", 5000, "lines per push")
	flag.Parse()
	if *addr == "" || *label == "" || *n <= 0 {
		fmt.Fprintln(os.Stderr, "usage: pushlines -loki URL -run ID [-n 100000]")
		os.Exit(2)
	}
	end := time.Now().Add(-time.Second)
	start := end.Add(-time.Duration(*n) * time.Millisecond)
	client := &http.Client{Timeout: 60 * time.Second}
	for off := 0; off < *n; off += *batch {
		hi := min(off+*batch, *n)
		values := make([][2]string, 0, hi-off)
		for i := off; i < hi; i++ {
			ts := start.Add(time.Duration(i) * time.Millisecond)
			line := fmt.Sprintf(`level=info service=bench msg="synthetic line" seq=%d request_id=req-%08x latency_ms=%d`, i, (i*2654435761)%(1<<32), i%997)
			values = append(values, [2]string{strconv.FormatInt(ts.UnixNano(), 10), line})
		}
		body, _ := json.Marshal(map[string]any{"streams": []any{map[string]any{
			"stream": map[string]string{"service": "bench", "bench_run": *label},
			"values": values,
		}}})
		resp, err := client.Post(*addr+"/loki/api/v1/push", "application/json", bytes.NewReader(body))
		if err != nil {
			fmt.Fprintln(os.Stderr, "push:", err)
			os.Exit(1)
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			fmt.Fprintf(os.Stderr, "push: HTTP %d: %s\n", resp.StatusCode, msg)
			os.Exit(1)
		}
	}
	fmt.Printf("pushed %d lines from %s to %s\n", *n, start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
}
