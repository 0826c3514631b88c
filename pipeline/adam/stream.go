package adam

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// streamBlockSize is the size of the blocks the streaming reader cuts a
// file into (a variable so that tests can cut small blocks).
var streamBlockSize = 256 << 10

// block is a run of complete CSV records: data ends with a newline (or at
// the end of the file) outside quotes.
type block struct {
	data      string
	firstLine int  // line number of data's first line
	quoted    bool // data contains a double quote
	err       error
}

// cutBlocks reads br to the end and sends it as blocks on out, starting at
// line firstLine, until stop is closed. It closes out when done. A read
// error is sent as a block with err set.
func cutBlocks(br *bufio.Reader, firstLine int, out chan<- block, stop <-chan struct{}) {
	defer close(out)
	send := func(b block) bool {
		select {
		case out <- b:
			return true
		case <-stop:
			return false
		}
	}
	line := firstLine
	buf := make([]byte, 0, 2*streamBlockSize)
	eof := false
	// read appends up to max bytes (at least one: the buffer grows).
	read := func(max int) error {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := br.Read(buf[len(buf):min(cap(buf), len(buf)+max)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			eof = true
			return nil
		}
		return err
	}
	for !eof || len(buf) > 0 {
		for len(buf) < streamBlockSize && !eof {
			if err := read(streamBlockSize - len(buf)); err != nil {
				send(block{err: err})
				return
			}
		}
		cut := len(buf)
		if !eof {
			if cut = cutPoint(buf); cut < 0 {
				// No newline outside quotes yet: a long quoted field.
				if err := read(streamBlockSize); err != nil {
					send(block{err: err})
					return
				}
				continue
			}
		}
		b := block{data: string(buf[:cut]), firstLine: line, quoted: bytes.IndexByte(buf[:cut], '"') >= 0}
		line += bytes.Count(buf[:cut], []byte{'\n'})
		if !send(b) {
			return
		}
		buf = buf[:copy(buf, buf[cut:])]
	}
}

// cutPoint returns the length of the longest prefix of buf that ends with a
// newline outside quotes, or -1. A double quote toggles between inside and
// outside a quoted field (a doubled quote toggles twice), so a newline is
// outside quotes when the number of quotes before it is even.
func cutPoint(buf []byte) int {
	nl := bytes.LastIndexByte(buf, '\n')
	if nl < 0 {
		return -1
	}
	quotes := bytes.Count(buf[:nl], []byte{'"'})
	for quotes%2 != 0 {
		prev := bytes.LastIndexByte(buf[:nl], '\n')
		if prev < 0 {
			return -1
		}
		quotes -= bytes.Count(buf[prev:nl], []byte{'"'})
		nl = prev
	}
	return nl + 1
}

// streamRecords parses the blocks cut from br and calls accept with each
// record and its line, as encoding/csv would (FieldsPerRecord -1, no lazy
// quotes): empty lines are skipped and \r\n ends a line like \n. Blocks
// without quotes are split directly, the fields being substrings of the
// block (no allocation per record); blocks with quotes go through
// encoding/csv. Cutting runs in its own goroutine, concurrently with
// parsing and validation.
//
// A malformed record (bad quoting) is passed to malformed with its
// *csv.ParseError (in the file's line numbers) and the fields read before
// the error, and reading goes on with the next record, exactly as
// encoding/csv goes on reading the whole file. Blocks are cut by counting
// quotes, which a stray quote throws off; so from the start of the first
// malformed record to the end of the file every record goes through one
// encoding/csv reader. It returns a read error, or nil.
func streamRecords(br *bufio.Reader, firstLine, nFields int, accept func(line int, rec []string), malformed func(pe *csv.ParseError, partial []string)) error {
	blocks := make(chan block, 4)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		cutBlocks(br, firstLine, blocks, stop)
		close(done)
	}()
	finish := func(err error) error {
		close(stop)
		for range blocks {
		}
		<-done
		return err
	}
	rec := make([]string, 0, nFields)
	for b := range blocks {
		if b.err != nil {
			return finish(b.err)
		}
		if b.quoted {
			off, err := parseQuoted(b, accept)
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// Re-read from the start of the malformed record to the
				// end of the file with one reader.
				rest := &blockReader{blocks: blocks, cur: b.data[off:]}
				line := b.firstLine + strings.Count(b.data[:off], "\n")
				return finish(parseRest(rest, line, accept, malformed))
			}
			if err != nil {
				return finish(err)
			}
			continue
		}
		splitRecords(b, rec, accept)
	}
	return finish(nil)
}

// parseQuoted parses a block that contains quotes with encoding/csv,
// shifting its line numbers to the file's. On a parse error it returns the
// error (in the file's line numbers) and the offset in b.data of the start
// of the malformed record.
func parseQuoted(b block, accept func(line int, rec []string)) (int, error) {
	cr := csv.NewReader(strings.NewReader(b.data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	shift := b.firstLine - 1
	for {
		off := int(cr.InputOffset())
		rec, err := cr.Read()
		if err == io.EOF {
			return 0, nil
		}
		if err != nil {
			return off, shiftError(err, shift)
		}
		line, _ := cr.FieldPos(0)
		accept(line+shift, rec)
	}
}

// parseRest reads r to the end with encoding/csv, r starting at line
// firstLine of the file, passing each record to accept and each malformed
// one to malformed. It returns a read error, or nil.
func parseRest(r io.Reader, firstLine int, accept func(line int, rec []string), malformed func(pe *csv.ParseError, partial []string)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	shift := firstLine - 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(shiftError(err, shift), &pe) {
				malformed(pe, rec)
				continue
			}
			return err
		}
		line, _ := cr.FieldPos(0)
		accept(line+shift, rec)
	}
}

// shiftError adds shift to the lines of a *csv.ParseError; other errors are
// returned as they are.
func shiftError(err error, shift int) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	shifted := *pe
	shifted.StartLine += shift
	shifted.Line += shift
	return &shifted
}

// blockReader reads cur, then the data of the blocks still to come.
type blockReader struct {
	blocks <-chan block
	cur    string
	err    error
}

func (r *blockReader) Read(p []byte) (int, error) {
	for r.cur == "" {
		if r.err != nil {
			return 0, r.err
		}
		b, ok := <-r.blocks
		switch {
		case !ok:
			r.err = io.EOF
		case b.err != nil:
			r.err = b.err
		default:
			r.cur = b.data
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}
