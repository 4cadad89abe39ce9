package panetest

// Fixture is what a pane's golden scenes and model tests start from: the
// pane M, the fake backend S it reads, and the clock it was built with.
// Fixture[M, S].View is the view Goldens takes.
type Fixture[M interface{ View() string }, S any] struct {
	M   M
	Src S
	Clk *Clock
}

// View draws the fixture's pane.
func (f Fixture[M, S]) View() string { return f.M.View() }
