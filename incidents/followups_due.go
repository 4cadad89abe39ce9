package incidents

import "sort"

// DueFollowUp is one open follow-up with the incident it belongs to, as
// `reltui incident followup list` lists them.
type DueFollowUp struct {
	// Incident is the incident's reference, e.g. "INC-42".
	Incident string   `json:"incident"`
	Title    string   `json:"title"`
	FollowUp FollowUp `json:"follow_up"`
}

// DueFollowUps lists the open follow-ups of every incident in incs (only
// owner's, when owner is not empty), the earliest due first and undated
// ones last; equal dues keep the incidents' order. Never nil.
func DueFollowUps(incs []Incident, owner string) []DueFollowUp {
	out := []DueFollowUp{}
	for _, inc := range incs {
		for _, fu := range inc.OpenFollowUps() {
			if owner == "" || fu.Owner == owner {
				out = append(out, DueFollowUp{Ref(inc.ID), inc.Title, fu})
			}
		}
	}
	key := func(x DueFollowUp) int64 {
		if x.FollowUp.Due.IsZero() {
			return 1 << 62
		}
		return x.FollowUp.Due.Unix()
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}
