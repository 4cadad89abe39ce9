package alertmanager

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// gettableAlert is the part of Alertmanager's v2 GettableAlert reltui uses.
type gettableAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	Fingerprint string            `json:"fingerprint"`
	Status      struct {
		State string `json:"state"`
	} `json:"status"`
}

// decodeAlerts maps a GET /api/v2/alerts body to domain alerts. Every string
// is sanitized; a missing fingerprint is computed from the labels the way
// Alertmanager does, so that the UI can always key on it.
func decodeAlerts(body []byte) ([]sources.Alert, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errEmpty
	}
	var raw []gettableAlert
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("decode alerts: %w", err)
	}
	out := make([]sources.Alert, 0, len(raw))
	for _, a := range raw {
		fp := sanitize.Line(a.Fingerprint)
		if fp == "" {
			fp = toLabelSet(a.Labels).Fingerprint().String()
		}
		out = append(out, sources.Alert{
			Name:        sanitize.Line(a.Labels[model.AlertNameLabel]),
			State:       sanitize.Line(a.Status.State),
			Labels:      clean(a.Labels),
			Annotations: clean(a.Annotations),
			ActiveAt:    a.StartsAt,
			Fingerprint: fp,
			Source:      "alertmanager",
		})
	}
	return out, nil
}

func toLabelSet(m map[string]string) model.LabelSet {
	ls := make(model.LabelSet, len(m))
	for k, v := range m {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	return ls
}

// clean copies m with keys and values sanitized; never nil, so callers can
// index it without a check.
func clean(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[sanitize.Line(k)] = sanitize.Line(v)
	}
	return out
}
