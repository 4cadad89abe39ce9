package slo

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// readSpec detects a spec file's format by its first document and reads
// it with that format's reader:
//
//   - apiVersion openslo/v1: OpenSLO v1 (ReadOpenSLO);
//   - apiVersion openslo/v1alpha, sloth.slok.dev/v1, or version
//     prometheus/v1: Sloth's formats (ReadSloth);
//   - apiVersion pyrra.dev/v1alpha1: Pyrra (ReadPyrra);
//   - a top-level list of documents that have an apiVersion, or a
//     Kubernetes kind: List of them: the same, by the first document's
//     apiVersion;
//   - any other top-level list, or a mapping with slos: and no version:
//     reltui's inline format.
//
// Any other apiVersion is an error that names it and the formats reltui
// reads.
func readSpec(file string, data []byte) ([]SLO, error) {
	var doc yaml.Node
	if derr := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); derr != nil && !errors.Is(derr, io.EOF) {
		return ReadSloth(file, data) // reports the syntax error with the file's position
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	keys := mapChild(root)
	if items := documentList(root); items != nil {
		keys = mapChild(items[0])
	} else if root.Kind == yaml.SequenceNode {
		return DecodeInline(file, root, "")
	}
	if keys == nil {
		return ReadSloth(file, data)
	}
	api, hasAPI := keys["apiVersion"]
	apiVersion := scalar(api)
	switch {
	case apiVersion == OpenSLOVersion:
		return ReadOpenSLO(file, data)
	case apiVersion == OpenSLOAlphaVersion, strings.HasPrefix(apiVersion, "sloth.slok.dev/"):
		return ReadSloth(file, data)
	case strings.HasPrefix(apiVersion, "pyrra.dev/"):
		return ReadPyrra(file, data)
	case strings.HasPrefix(apiVersion, "openslo/"):
		return ReadOpenSLO(file, data) // names the version it reads
	case hasAPI:
		return nil, SpecErrors{{File: file, Line: api.Line, Column: api.Column, Field: "apiVersion",
			Msg: "unknown SLO format " + kindName(api) + "; reltui reads " + OpenSLOVersion + ", " + OpenSLOAlphaVersion +
				", " + SlothK8sAPIVersion + " (" + SlothK8sKind + "), " + PyrraAPIVersion + " (" + PyrraKind + "), Sloth's version: " +
				SlothVersion + " and its own slos: list"}}
	}
	if _, ok := keys["slos"]; ok {
		if _, v := keys["version"]; !v {
			return ReadInline(file, data, "slos")
		}
	}
	return ReadSloth(file, data)
}
