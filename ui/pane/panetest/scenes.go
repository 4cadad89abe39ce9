package panetest

import "testing"

// Scene is one golden scene of a pane: its name, which the golden files
// start with, and what brings a fresh fixture of the pane there.
type Scene[F any] struct {
	Name string
	Run  func(t *testing.T, f F)
}

// Goldens draws every scene in every shot, each as a subtest named like
// its golden file: build makes a fresh fixture for the shot, the scene's
// Run brings it to the scene and view draws it; the frame must fit the
// shot and match its golden file, or rewrite it when update is set.
func Goldens[F any](t *testing.T, update bool, build func(t *testing.T, s Shot) F, view func(F) string, scenes ...Scene[F]) {
	t.Helper()
	for _, sc := range scenes {
		EachShot(t, sc.Name, func(t *testing.T, s Shot) {
			f := build(t, s)
			sc.Run(t, f)
			s.Golden(t, sc.Name, view(f), update)
		})
	}
}
