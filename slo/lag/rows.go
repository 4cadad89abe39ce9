package lag

// Rows are parts as `reltui lag` prints them: one row per partition, or,
// with byTopic, one per group and topic (ByTopic). Never nil.
func Rows(parts []Partition, byTopic bool) []Row {
	rows := make([]Row, 0, len(parts))
	if byTopic {
		for _, t := range ByTopic(parts) {
			rows = append(rows, t.Row())
		}
		return rows
	}
	for _, p := range parts {
		rows = append(rows, p.Row())
	}
	return rows
}
