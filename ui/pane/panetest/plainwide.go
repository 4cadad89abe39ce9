package panetest

// Plain is the shot most model tests draw in: 80x24 without colour, the
// first of Shots.
func Plain() Shot { return Shots()[0] }

// Wide is the shot benchmarks draw in: 200x50 in 256 colours, the last
// of Shots.
func Wide() Shot {
	s := Shots()
	return s[len(s)-1]
}
