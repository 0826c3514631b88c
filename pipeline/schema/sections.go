package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// SetSection stores v, marshalled, as the section of method name. It
// panics if v cannot be marshalled (a programmer error: sections are plain
// data) or if name is a field of Endpoint.
func (ep *Endpoint) SetSection(name string, v any) {
	if endpointFields()[name] {
		panic(fmt.Sprintf("schema: section %q is a field of Endpoint", name))
	}
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("schema: section %s: %v", name, err))
	}
	if ep.Sections == nil {
		ep.Sections = map[string]json.RawMessage{}
	}
	ep.Sections[name] = data
}

// Section decodes the section of method name into v. It reports false when
// the endpoint has no such section, and an error when it does not decode.
func (ep *Endpoint) Section(name string, v any) (bool, error) {
	data, ok := ep.Sections[name]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("endpoint %s: section %s: %w", ep.Paramcd, name, err)
	}
	return true, nil
}

// SectionNames returns the names of the endpoint's sections, sorted.
func (ep *Endpoint) SectionNames() []string {
	names := make([]string, 0, len(ep.Sections))
	for k := range ep.Sections {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// MarshalJSON writes the endpoint's fields, then each section as a key
// named as its method, in name order. The KM table is spliced in as its
// own MarshalJSON writes it: encoding/json would otherwise scan its
// (possibly very long) columns once more.
func (ep Endpoint) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	err := ep.writeJSON(&b)
	return b.Bytes(), err
}

// writeJSON writes the endpoint's JSON (see MarshalJSON) to w.
func (ep Endpoint) writeJSON(w io.Writer) error {
	type plain Endpoint // without the methods
	p := plain(ep)
	p.KM = KMRows{}
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	// "km":null cannot occur inside a JSON string (its quotes would be
	// escaped), and km is the first field that can hold it.
	before, after := splitAtNull(data, `"km":`)
	if _, err := w.Write(before); err != nil {
		return err
	}
	if err := ep.KM.writeJSON(w); err != nil {
		return err
	}
	if len(ep.Sections) == 0 {
		_, err := w.Write(after)
		return err
	}
	b := slices.Clone(after[:len(after)-1]) // without the closing brace
	for _, name := range ep.SectionNames() {
		key, _ := json.Marshal(name)
		b = append(b, ',')
		b = append(b, key...)
		b = append(b, ':')
		b = append(b, ep.Sections[name]...)
	}
	_, err = w.Write(append(b, '}'))
	return err
}

// splitAtNull splits data around the value of the first key:null: before
// ends with the key and its colon, after starts after the null.
func splitAtNull(data []byte, key string) (before, after []byte) {
	pat := []byte(key + "null")
	i := bytes.Index(data, pat)
	if i < 0 {
		panic("schema: " + key + " not in the marshalled value")
	}
	return data[:i+len(key)], data[i+len(pat):]
}

// Marshal returns results.json's bytes (compact): those WriteCompact
// writes.
func (r *Results) Marshal() ([]byte, error) {
	var b bytes.Buffer
	err := r.WriteCompact(&b)
	return b.Bytes(), err
}

// WriteCompact writes results.json's bytes (compact) to w. The endpoints
// are written as their MarshalJSON writes them, in pieces: their long
// columns are neither scanned again, nor copied, nor held whole.
func (r *Results) WriteCompact(w io.Writer) error {
	shallow := *r
	shallow.Endpoints = nil
	data, err := json.Marshal(shallow)
	if err != nil {
		return err
	}
	before, after := splitAtNull(data, `"endpoints":`)
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(before)
	bw.WriteByte('[')
	for i := range r.Endpoints {
		if i > 0 {
			bw.WriteByte(',')
		}
		if err := r.Endpoints[i].writeJSON(bw); err != nil {
			return err
		}
	}
	bw.WriteByte(']')
	bw.Write(after)
	return bw.Flush()
}

// UnmarshalJSON reads the endpoint's fields; every other key is kept as a
// section.
func (ep *Endpoint) UnmarshalJSON(data []byte) error {
	type plain Endpoint
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	fields := endpointFields()
	for k, v := range all {
		if fields[k] {
			continue
		}
		if p.Sections == nil {
			p.Sections = map[string]json.RawMessage{}
		}
		p.Sections[k] = v
	}
	*ep = Endpoint(p)
	return nil
}

// endpointFields returns the JSON names of Endpoint's fields.
var endpointFields = sync.OnceValue(func() map[string]bool {
	fields := map[string]bool{}
	t := reflect.TypeFor[Endpoint]()
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name != "" && name != "-" {
			fields[name] = true
		}
	}
	return fields
})
