package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// DecodeResults decodes the content of results.json; name is used in
// messages. Unknown fields are kept as sections (see Endpoint), so that
// results written by a later version with added methods can still be read.
// Errors give the line and column of a syntax or type error.
func DecodeResults(name string, data []byte) (*Results, error) {
	var res Results
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("could not decode results file %s: %w", name, JSONPosition(data, err))
	}
	if res.Schema != SchemaVersion {
		return nil, fmt.Errorf("results file %s has schema %q, want %q: regenerate it with the fit stage of this version", name, res.Schema, SchemaVersion)
	}
	if res.Study.ID == "" {
		return nil, fmt.Errorf("results file %s has no study id: regenerate it with the fit stage", name)
	}
	return &res, nil
}

// JSONPosition adds the line and column to a JSON syntax or type error.
func JSONPosition(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}
