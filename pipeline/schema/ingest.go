package schema

import (
	"encoding/json"
	"fmt"
)

// IngestSchema identifies the layout of ingest.json.
const IngestSchema = "ketcurves.ingest/v1"

// Ingest is the content of ingest.json, written by the ingest stage and
// read by the report: the study, every file read with its counts (rows read
// = accepted + rejected), and subjects, events and censorings per endpoint
// and arm.
type Ingest struct {
	Schema      string        `json:"schema"`
	Study       string        `json:"study"`
	Synthetic   bool          `json:"synthetic"`
	StudyFile   string        `json:"study_file"`   // study.yaml, as given
	StudySHA256 string        `json:"study_sha256"` // SHA-256 of its bytes
	RowsRead    int           `json:"rows_read"`
	Accepted    int           `json:"accepted"`
	Rejected    int           `json:"rejected"`
	RejectsFile string        `json:"rejects_file"`
	Files       []IngestFile  `json:"files"`
	Counts      []IngestCount `json:"counts"`
}

// IngestFile counts the rows of one input file.
type IngestFile struct {
	File     string `json:"file"`
	SHA256   string `json:"sha256"`
	Reader   string `json:"reader"`
	RowsRead int    `json:"rows_read"`
	Accepted int    `json:"accepted"`
	Rejected int    `json:"rejected"`
}

// IngestCount counts subjects, events and censored observations of one arm
// for one endpoint, as accepted by the ingest stage.
type IngestCount struct {
	Paramcd  string `json:"paramcd"`
	Arm      string `json:"arm"`
	N        int    `json:"n"`
	Events   int    `json:"events"`
	Censored int    `json:"censored"`
}

// DecodeIngest decodes the content of ingest.json; name is used in
// messages. Unknown fields are ignored.
func DecodeIngest(name string, data []byte) (*Ingest, error) {
	var ing Ingest
	if err := json.Unmarshal(data, &ing); err != nil {
		return nil, fmt.Errorf("could not decode ingest summary %s: %w", name, JSONPosition(data, err))
	}
	if ing.Schema != IngestSchema {
		return nil, fmt.Errorf("ingest summary %s has schema %q, want %q: regenerate it with the ingest stage of this version", name, ing.Schema, IngestSchema)
	}
	return &ing, nil
}
