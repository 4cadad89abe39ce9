package victorialogs

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/reltui/reltui/sources"
)

// benchRows are shaped like /select/logsql/query's rows on the demo stack:
// every value a string, keys sorted, stream fields repeated as fields. The
// mix covers what decoding spends its time on: plain logfmt text, JSON text
// full of escaped quotes and \u escapes, extra non-stream fields, and
// multi-byte UTF-8.
var benchRows = []string{
	`{"_msg":"ts=2026-12-05T14:01:06.896Z level=info msg=\"payment accepted\" amount=12.50 currency=EUR user=u-1842 dur=38ms","_stream":"{env=\"demo\",service=\"payments\"}","_stream_id":"00000000000000002f4b1c7a9e3d5b6f8a0c1e2d3f4a5b6c","_time":"2026-12-05T14:01:06.896126059Z","env":"demo","level":"info","service":"payments"}`,
	`{"_msg":"{\"level\":\"warn\",\"msg\":\"retrying \\\"charge\\\" \u003cupstream\u003e\",\"attempt\":3,\"path\":\"/v1/charge\",\"note\":\"tab\there \u00e9\\n\"}","_stream":"{env=\"demo\",service=\"checkout\"}","_stream_id":"00000000000000009a1b2c3d4e5f60718293a4b5c6d7e8f9","_time":"2026-12-05T14:01:06.901774213Z","env":"demo","level":"warn","service":"checkout"}`,
	`{"_msg":"ts=2026-12-05T14:01:06.912Z level=error msg=\"card declined\" code=51 user=u-77","_stream":"{env=\"demo\",service=\"payments\"}","_stream_id":"00000000000000002f4b1c7a9e3d5b6f8a0c1e2d3f4a5b6c","_time":"2026-12-05T14:01:06.912003001Z","env":"demo","level":"error","service":"payments","span_id":"b7ad6b7169203331","trace_id":"0af7651916cd43dd8448eb211c80319c"}`,
	`{"_msg":"utilisateur créé: Zoë Ærøskøbing — 東京都 📦 commande n°4711 expédiée","_stream":"{env=\"demo\",service=\"shipping\"}","_stream_id":"0000000000000000c0ffee00deadbeef0123456789abcdef","_time":"2026-12-05T14:01:06.93Z","env":"demo","level":"info","service":"shipping"}`,
}

// BenchmarkDecodeEntry decodes one row per op, cycling through benchRows,
// with the streams already interned as they are after a page's first rows.
func BenchmarkDecodeEntry(b *testing.B) {
	rows := make([][]byte, len(benchRows))
	for i, r := range benchRows {
		rows[i] = []byte(r)
	}
	in := newInterner()
	for _, r := range rows {
		if _, err := decodeEntry(r, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := decodeEntry(rows[i%len(rows)], in); err != nil {
			b.Fatal(err)
		}
	}
}

// benchBody is n rows of benchRows, with times that vary per row so no
// parse can be skipped as a repeat.
func benchBody(n int) []byte {
	var buf bytes.Buffer
	for i := range n {
		r := benchRows[i%len(benchRows)]
		// Vary the nanoseconds of _time in place; every row has a
		// "_time":"2026-12-05T14:01:06. prefix followed by digits.
		const at = `"_time":"2026-12-05T14:01:06.`
		j := bytes.Index([]byte(r), []byte(at)) + len(at)
		buf.WriteString(r[:j])
		fmt.Fprintf(&buf, "%09d", (i*7919)%1_000_000_000)
		k := j
		for k < len(r) && r[k] >= '0' && r[k] <= '9' {
			k++
		}
		buf.WriteString(r[k:])
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// BenchmarkReadEntries reads a 10k-row answer the way a query page is
// read: through readEntries, with a fresh interner, in page-size batches.
func BenchmarkReadEntries(b *testing.B) {
	const rows = 10000
	body := benchBody(rows)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var out []sources.LogEntry
		n, _, err := readEntries(bytes.NewReader(body), DefaultMaxLineBytes, 0, DefaultPageSize, newInterner(), func(es []sources.LogEntry) error {
			out = append(out, es...)
			return nil
		})
		if err != nil || n != rows {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
