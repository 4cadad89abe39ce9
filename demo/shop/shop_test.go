package shop

import (
	"math/rand/v2"
	"testing"
)

func within(t *testing.T, what string, inner, outer Span) {
	t.Helper()
	if inner.Start < outer.Start || inner.End > outer.End || inner.End < inner.Start {
		t.Fatalf("%s [%v,%v] not inside [%v,%v]", what, inner.Start, inner.End, outer.Start, outer.End)
	}
}

// TestSampleIsConsistent checks the layout every consumer of a Request
// relies on: callees run inside their callers, and an error travels up.
func TestSampleIsConsistent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []Conditions{{}, {PaymentsFail: 0.3}, {PaymentsSlow: 0.85}, {InventoryFail: 0.5}} {
		for range 5000 {
			q := Sample(r, c)
			within(t, "checkout", q.Checkout, q.Frontend)
			within(t, "inventory", q.Inventory, q.Checkout)
			for i, a := range q.Payments[:q.NumPayments] {
				within(t, "payment", a.Span, q.Checkout)
				within(t, "gateway", a.Gateway, a.Span)
				if i > 0 && a.Start < q.Payments[i-1].End {
					t.Fatal("retry started before the first attempt ended")
				}
				if i > 0 && q.Payments[i-1].Status != 503 {
					t.Fatal("retried a non-503")
				}
			}
			if q.Published {
				within(t, "publish", q.Publish, q.Checkout)
			}
			if q.Inventory.Status != 200 && (q.NumPayments != 0 || q.Checkout.Status == 200) {
				t.Fatal("checkout went on after inventory failed")
			}
			if q.NumPayments > 0 && q.Payments[q.NumPayments-1].Status != 200 && q.Checkout.Status != q.Payments[q.NumPayments-1].Status {
				t.Fatal("payment failure did not reach checkout")
			}
			if q.Checkout.Status != 200 && q.Frontend.Status != q.Checkout.Status {
				t.Fatal("checkout failure did not reach frontend")
			}
			if q.Published != (q.Checkout.Status == 200) {
				t.Fatal("published a failed order or lost a good one")
			}
		}
	}
}

func TestFaultRates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var bad, all, slow int
	for range 20000 {
		q := Sample(r, Conditions{PaymentsFail: 0.3})
		a := q.Payments[0]
		all++
		if a.Status >= 500 {
			bad++
		}
	}
	if got := float64(bad) / float64(all); got < 0.27 || got > 0.33 {
		t.Fatalf("errors fault: %.3f of first attempts failed, want ~0.30", got)
	}
	all = 0
	for range 20000 {
		q := Sample(r, Conditions{PaymentsSlow: 0.85})
		all++
		if q.Payments[0].Duration().Seconds() > 0.8 {
			slow++
		}
	}
	if got := float64(slow) / float64(all); got < 0.8 || got > 0.9 {
		t.Fatalf("latency fault: %.3f of attempts over 800ms, want ~0.85", got)
	}
}

func TestFormatLe(t *testing.T) {
	for v, want := range map[float64]string{0.025: "0.025", 1: "1", 2.5: "2.5", 5: "5"} {
		if got := FormatLe(v); got != want {
			t.Errorf("FormatLe(%v) = %q, want %q", v, got, want)
		}
	}
}
