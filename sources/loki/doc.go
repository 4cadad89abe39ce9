// Package loki reads logs from Loki through the logcli client package, kept
// behind this package's own interface so the dependency can be swapped.
package loki

import _ "github.com/grafana/loki/v3/pkg/logcli/client"
