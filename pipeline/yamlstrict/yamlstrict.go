package yamlstrict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits of the input.
const (
	// MaxBytes is the largest file accepted (1 MiB: a study plan is a few KB).
	MaxBytes = 1 << 20
	// MaxNodes is the largest number of nodes, counting each alias as the
	// nodes it expands to.
	MaxNodes = 100_000
)

// ErrEmpty is wrapped by Decode's error for a file without a document
// (empty, or only comments), so that callers can say what to write.
var ErrEmpty = errors.New("the file is empty")

// Decode decodes the single YAML document data into v (a pointer to a
// struct) strictly, and returns the document's root node, for the lines
// of later validation messages. name is used in messages; hint is added
// to an unknown key's message (e.g. "check its spelling against
// datasets/README.md").
func Decode(name string, data []byte, v any, hint string) (*yaml.Node, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%s: %d bytes: a YAML file may have at most %d bytes", name, len(data), MaxBytes)
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
		}
		return nil, fmt.Errorf("%s: %s", name, message(err, hint))
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, fmt.Errorf("%s: %s", name, message(err, hint))
	default:
		return nil, fmt.Errorf("%s: line %d: a second YAML document begins here (after `---`): the file holds one document; merge it into the first or remove it", name, max(extra.Line, 1))
	}
	if n := count(&root, MaxNodes+1); n > MaxNodes {
		return nil, fmt.Errorf("%s: more than %d YAML nodes after expanding aliases: the file is too large or an alias is expanded too often", name, MaxNodes)
	}
	if err := checkTypes(&root, reflect.TypeOf(v)); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(v); err != nil {
		return nil, fmt.Errorf("%s: %s", name, message(err, hint))
	}
	return &root, nil
}

// count returns the number of nodes of n with aliases expanded, stopping
// at limit.
func count(n *yaml.Node, limit int) int {
	total := 0
	var walk func(*yaml.Node, int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || total >= limit || depth > 1000 {
			total = limit
			return
		}
		total++
		if n.Kind == yaml.AliasNode {
			walk(n.Alias, depth+1)
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return total
}

// checkTypes checks the scalars of n against the type t they decode into.
func checkTypes(n *yaml.Node, t reflect.Type) error {
	optional := false
	for t.Kind() == reflect.Pointer {
		t, optional = t.Elem(), true
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if optional && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // an optional value left unset
	}
	if t == reflect.TypeFor[yaml.Node]() {
		return nil
	}
	if t.Kind() != reflect.Struct && (reflect.PointerTo(t).Implements(reflect.TypeFor[yaml.Unmarshaler]()) ||
		reflect.PointerTo(t).Implements(reflect.TypeFor[obsoleteUnmarshaler]())) {
		return nil // its own decoding decides
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // yaml reports the mismatch
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if ft, ok := fieldType(t, n.Content[i].Value); ok {
				if err := checkTypes(n.Content[i+1], ft); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				if err := checkTypes(c, t.Elem()); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				if err := checkTypes(n.Content[i], t.Elem()); err != nil {
					return err
				}
			}
		}
	case reflect.Bool:
		if n.Kind == yaml.ScalarNode && (n.ShortTag() != "!!bool" || (n.Value != "true" && n.Value != "false")) {
			return fmt.Errorf("line %d: %q is not a boolean: write true or false", n.Line, n.Value)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!int" {
			return fmt.Errorf("line %d: %q is not a whole number: write an integer such as 2", n.Line, n.Value)
		}
	case reflect.Float32, reflect.Float64:
		if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!int" && n.ShortTag() != "!!float" {
			return fmt.Errorf("line %d: %q is not a number: write it without quotes, e.g. 0.95", n.Line, n.Value)
		}
	}
	return nil
}

// obsoleteUnmarshaler is yaml's function-form Unmarshaler
// (UnmarshalYAML(func(any) error) error).
type obsoleteUnmarshaler interface {
	UnmarshalYAML(unmarshal func(any) error) error
}

// fieldType returns the type of the field of struct t that YAML key name
// decodes into, looking into inline structs.
func fieldType(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		key, opts, _ := strings.Cut(tag, ",")
		if key == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			if f.Type.Kind() == reflect.Struct {
				if ft, ok := fieldType(f.Type, name); ok {
					return ft, true
				}
			}
			continue
		}
		if key == "" {
			key = strings.ToLower(f.Name)
		}
		if key == name {
			return f.Type, true
		}
	}
	return nil, false
}

// message turns a yaml error into one line per problem, with the hint for
// an unknown key.
func message(err error, hint string) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.Contains(l, "not found in type") && hint != "" {
			l += " (unknown key: " + hint + ")"
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "; ")
}
