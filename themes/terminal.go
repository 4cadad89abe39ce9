package themes

// ForTerminal is the palette for one terminal: no colour when the user
// asked for none (noColor: NO_COLOR is set) or the terminal has none
// (ascii: its colour profile is ASCII), whatever theme was named, since
// a person who turned colour off must not get it back; else the theme
// name names (ByName).
func ForTerminal(name string, noColor, ascii bool) (Palette, error) {
	if noColor || ascii {
		return NoColor(), nil
	}
	return ByName(name)
}
