package adam

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
)

// rowBatch validates and keeps the rows of one block of a CSV file. The
// batches of different blocks are filled concurrently, each by one
// goroutine; they are stored in file order by batcher.store.
type rowBatch interface {
	// row validates one data row and keeps it; it returns the problem that
	// rejects it, as a rowFunc does.
	row(line int, rec []string) *Problem
	// reset empties the batch for another block, once stored.
	reset()
}

// batcher lets the streaming reader validate the blocks of a file on all
// cores. newBatch (called after the header function) returns an empty
// batch; store appends an accepted batch to the table, in file order, on
// one goroutine. A reader without a batcher validates its rows one by one
// on one goroutine.
type batcher struct {
	newBatch func() rowBatch
	store    func(rowBatch)
}

// parsedBlock is one block validated by a worker.
type parsedBlock struct {
	block
	batch    rowBatch
	problems []Problem // Line set; File, Column number and Format by the merger
	rows     int       // records read
	accepted int
	// malformed is the offset in data of the first record encoding/csv
	// could not parse, or -1: from there to the end of the file the
	// records are read again on one goroutine (see streamRecords).
	malformed int
}

// streamParallel is streamRecords with the blocks validated concurrently
// by GOMAXPROCS workers into batches, which are merged into the sink in
// file order: the table, the report and every message are those of the
// sequential reader, whatever the number of workers. At most twice as many
// blocks as workers are in flight, so memory stays bounded.
func streamParallel(br *bufio.Reader, firstLine int, s *sink, b batcher, malformed func(pe *csv.ParseError, partial []string)) error {
	nWorkers := runtime.GOMAXPROCS(0)
	blocks := make(chan block, 4)
	stop := make(chan struct{})
	cutDone := make(chan struct{})
	go func() {
		cutBlocks(br, firstLine, blocks, stop)
		close(cutDone)
	}()

	type job struct {
		seq int
		b   block
	}
	jobs := make(chan job)
	type result struct {
		seq int
		pb  parsedBlock
	}
	results := make(chan result, 2*nWorkers)
	tokens := make(chan struct{}, 2*nWorkers)
	// Stored batches are reset and reused: the rows of a million-row file
	// then pass through a few batches instead of making garbage.
	free := make(chan rowBatch, 4*nWorkers)
	batch := func() rowBatch {
		select {
		case rb := <-free:
			return rb
		default:
			return b.newBatch()
		}
	}
	quit := make(chan struct{})
	go func() { // dispatcher: numbers the blocks, bounds those in flight
		defer close(jobs)
		seq := 0
		for bl := range blocks {
			select {
			case tokens <- struct{}{}:
			case <-quit:
				return
			}
			select {
			case jobs <- job{seq, bl}:
			case <-quit:
				return
			}
			seq++
		}
	}()
	var workers sync.WaitGroup
	for range nWorkers {
		workers.Go(func() {
			for j := range jobs {
				pb := s.parseBlock(j.b, batch())
				select {
				case results <- result{j.seq, pb}:
				case <-quit:
				}
			}
		})
	}
	workDone := make(chan struct{})
	go func() {
		workers.Wait()
		close(results)
		close(workDone)
	}()
	finish := func(err error) error {
		close(quit)
		close(stop)
		for range blocks {
		}
		<-cutDone
		for range results {
		}
		<-workDone
		return err
	}

	// next returns the parsed blocks in file order; ok is false at the end.
	pending := map[int]parsedBlock{}
	want := 0
	next := func() (parsedBlock, bool) {
		for {
			if pb, ok := pending[want]; ok {
				delete(pending, want)
				want++
				<-tokens
				return pb, true
			}
			r, ok := <-results
			if !ok {
				return parsedBlock{}, false
			}
			pending[r.seq] = r.pb
		}
	}
	for {
		pb, ok := next()
		if !ok {
			return finish(nil)
		}
		if pb.err != nil {
			return finish(pb.err)
		}
		s.merge(pb, b)
		pb.batch.reset()
		select {
		case free <- pb.batch:
		default:
		}
		if pb.malformed >= 0 {
			// Read again, from the malformed record to the end of the
			// file, with one encoding/csv reader, as streamRecords does.
			rest := &orderedReader{cur: pb.data[pb.malformed:], next: next}
			line := pb.firstLine + strings.Count(pb.data[:pb.malformed], "\n")
			return finish(parseRest(rest, line, s.accept, malformed))
		}
	}
}

// parseBlock validates the records of one block into batch. It may run on
// any goroutine: it only reads the sink's header.
func (s *sink) parseBlock(bl block, batch rowBatch) parsedBlock {
	pb := parsedBlock{block: bl, batch: batch, malformed: -1}
	if bl.err != nil {
		return pb
	}
	check := s.check
	if isASCII(bl.data) {
		check = s.checkASCII
	}
	row := batch.row // one method value a block, not one a row
	accept := func(line int, rec []string) {
		pb.rows++
		if p := check(line, rec, row); p != nil {
			p.Line = line
			pb.problems = append(pb.problems, *p)
			return
		}
		pb.accepted++
	}
	if bl.quoted {
		off, err := parseQuoted(bl, accept)
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			pb.malformed = off
		case err != nil:
			pb.err = err
		}
		return pb
	}
	splitRecords(bl, make([]string, 0, len(s.hdr)), accept)
	return pb
}

// splitRecords calls accept with each record of a block without quotes:
// the fields are substrings of the block, split at commas; \r\n ends a
// line like \n and empty lines are skipped.
func splitRecords(bl block, rec []string, accept func(line int, rec []string)) {
	data, line := bl.data, bl.firstLine
	for len(data) > 0 {
		end := strings.IndexByte(data, '\n')
		var l string
		if end < 0 {
			l, data = data, ""
		} else {
			l, data = data[:end], data[end+1:]
		}
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		if len(l) > 0 {
			rec = rec[:0]
			for {
				i := strings.IndexByte(l, ',')
				if i < 0 {
					rec = append(rec, l)
					break
				}
				rec = append(rec, l[:i])
				l = l[i+1:]
			}
			accept(line, rec)
		}
		line++
	}
}

// merge adds a validated block to the report and stores its batch.
func (s *sink) merge(pb parsedBlock, b batcher) {
	s.rep.RowsRead += pb.rows
	s.rep.Accepted += pb.accepted
	s.rep.Rejected += len(pb.problems)
	for _, p := range pb.problems {
		s.locate(&p)
		s.rep.Problems = append(s.rep.Problems, p)
	}
	b.store(pb.batch)
}

// orderedReader reads cur, then the data of the blocks next returns.
type orderedReader struct {
	cur  string
	next func() (parsedBlock, bool)
	err  error
}

func (r *orderedReader) Read(p []byte) (int, error) {
	for r.cur == "" {
		if r.err != nil {
			return 0, r.err
		}
		pb, ok := r.next()
		switch {
		case !ok:
			r.err = io.EOF
		case pb.err != nil:
			r.err = pb.err
		default:
			r.cur = pb.data
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// isASCII reports whether s has no byte above 0x7F, eight bytes at a time:
// its fields are then valid UTF-8 without checking each.
func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
