package pane

// Basics are the env's ID, renderer, clock and parent context as a pane's
// Config takes them (its New fills the rest, see Basics.Fill).
func (e Env) Basics() Basics {
	return Basics{ID: e.ID, Renderer: e.Renderer, Now: e.Now, Parent: e.Parent}
}
