package mc

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// BlockSize is the number of consecutive trials summed together. It fixes
// the order of every floating-point sum, so it is part of the format of
// partial results: shards made with another block size cannot be merged.
const BlockSize = 100

// Sums are the totals of a block of trials (or of a whole study).
type Sums struct {
	Trials int   `json:"trials"`
	Events int64 `json:"events"`

	LogrankTests       int `json:"logrank_tests"`
	LogrankReject      int `json:"logrank_reject"`
	LogrankDirectional int `json:"logrank_reject_directional"`

	CoxFits    int     `json:"cox_fits"`
	CoxReject  int     `json:"cox_reject"`
	HRCover    int     `json:"hr_cover"`
	SumLogHR   float64 `json:"sum_log_hr"`
	SumLogHR2  float64 `json:"sum_log_hr2"`
	SumSELogHR float64 `json:"sum_se_log_hr"`

	MedianEstimates int        `json:"median_estimates"`
	MedianReached   [2]int     `json:"median_reached"`
	MedianCover     [2]int     `json:"median_cover"`
	SumMedian       [2]float64 `json:"sum_median"`

	RMSTEstimates int     `json:"rmst_estimates"`
	RMSTCover     int     `json:"rmst_cover"`
	SumRMSTDiff   float64 `json:"sum_rmst_diff"`
	SumRMSTDiff2  float64 `json:"sum_rmst_diff2"`
	SumRMSTSE     float64 `json:"sum_rmst_se"`
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}

// add adds one trial.
func (s *Sums) add(o trialOutcome) {
	s.Trials++
	s.Events += int64(o.events)
	s.LogrankTests += count(o.lrOK)
	s.LogrankReject += count(o.lrReject)
	s.LogrankDirectional += count(o.lrDirectional)
	if o.coxOK {
		s.CoxFits++
		s.CoxReject += count(o.coxReject)
		s.HRCover += count(o.hrCover)
		s.SumLogHR += o.logHR
		s.SumLogHR2 += o.logHR * o.logHR
		s.SumSELogHR += o.seLogHR
	}
	if o.medianOK {
		s.MedianEstimates++
	}
	for a := range 2 {
		if o.medianReached[a] {
			s.MedianReached[a]++
			s.SumMedian[a] += o.median[a]
		}
		s.MedianCover[a] += count(o.medianCover[a])
	}
	if o.rmstOK {
		s.RMSTEstimates++
		s.RMSTCover += count(o.rmstCover)
		s.SumRMSTDiff += o.rmstDiff
		s.SumRMSTDiff2 += o.rmstDiff * o.rmstDiff
		s.SumRMSTSE += o.rmstSE
	}
}

// merge adds the sums of the next block.
func (s *Sums) merge(b Sums) {
	s.Trials += b.Trials
	s.Events += b.Events
	s.LogrankTests += b.LogrankTests
	s.LogrankReject += b.LogrankReject
	s.LogrankDirectional += b.LogrankDirectional
	s.CoxFits += b.CoxFits
	s.CoxReject += b.CoxReject
	s.HRCover += b.HRCover
	s.SumLogHR += b.SumLogHR
	s.SumLogHR2 += b.SumLogHR2
	s.SumSELogHR += b.SumSELogHR
	for a := range 2 {
		s.MedianReached[a] += b.MedianReached[a]
		s.MedianCover[a] += b.MedianCover[a]
		s.SumMedian[a] += b.SumMedian[a]
	}
	s.MedianEstimates += b.MedianEstimates
	s.RMSTEstimates += b.RMSTEstimates
	s.RMSTCover += b.RMSTCover
	s.SumRMSTDiff += b.SumRMSTDiff
	s.SumRMSTDiff2 += b.SumRMSTDiff2
	s.SumRMSTSE += b.SumRMSTSE
}

// Shard selects part of a study: shard Index (0-based) of Count. The
// study's blocks are split into Count contiguous ranges of nearly equal
// size. The zero value is the whole study.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// String formats the shard as "index/count".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// blocks returns the blocks [lo, hi) of the shard in a study of nBlocks.
func (s Shard) blocks(nBlocks int) (lo, hi int) {
	if s.Count == 0 {
		return 0, nBlocks
	}
	return s.Index * nBlocks / s.Count, (s.Index + 1) * nBlocks / s.Count
}

// Options control Run.
type Options struct {
	// Trials is the number of trials of the whole study (all shards).
	Trials int
	// Seed is the master seed: trial i draws from rand.NewPCG(Seed, i).
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// It does not change the results.
	Workers int
	// Shard selects the part of the study to run; the zero value runs all.
	Shard Shard
	// Progress, if not nil, is called (from any goroutine, concurrently)
	// with the number of trials just finished.
	Progress func(trials int)
}

// Block is the sums of block Index: trials Index·BlockSize up to
// (Index+1)·BlockSize (or the study's last trial).
type Block struct {
	Index int  `json:"index"`
	Sums  Sums `json:"sums"`
}

// Partial is the outcome of a shard of a study (or of a whole study):
// per-block sums that Merge combines into a Result.
type Partial struct {
	Format    string `json:"format"`
	Design    Design `json:"design"`
	Trials    int    `json:"trials"`
	Seed      uint64 `json:"seed"`
	BlockSize int    `json:"block_size"`
	Shard     Shard  `json:"shard"`
	// Blocks are in block order.
	Blocks []Block `json:"blocks"`
}

// PartialFormat identifies partial result files.
const PartialFormat = "ketcurves-power-partial/1"

// Run simulates and analyses the trials of one shard of a study of the
// design and returns their per-block sums. Results do not depend on
// opt.Workers. It returns an error for invalid options or when ctx is
// cancelled.
func Run(ctx context.Context, d *Design, opt Options) (*Partial, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if opt.Trials < 1 {
		return nil, fmt.Errorf("the number of trials is %d: give at least 1", opt.Trials)
	}
	if sh := opt.Shard; sh != (Shard{}) && (sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count) {
		return nil, fmt.Errorf("shard %s: the index must be in 0..count-1 and count at least 1", sh)
	}
	nBlocks := (opt.Trials + BlockSize - 1) / BlockSize
	if opt.Shard.Count > nBlocks {
		return nil, fmt.Errorf("%d shards for %d blocks of %d trials: use at most %d shards, or more trials", opt.Shard.Count, nBlocks, BlockSize, nBlocks)
	}
	lo, hi := opt.Shard.blocks(nBlocks)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, hi-lo)
	truth := d.Truth()
	p := &Partial{Format: PartialFormat, Design: *d, Trials: opt.Trials, Seed: opt.Seed, BlockSize: BlockSize, Shard: opt.Shard,
		Blocks: make([]Block, hi-lo)}
	var next atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sim := newSimulator(d, truth)
			for ctx.Err() == nil {
				b := int(next.Add(1) - 1)
				if b >= hi {
					return
				}
				first, last := b*BlockSize, min((b+1)*BlockSize, opt.Trials)
				var s Sums
				for i := first; i < last; i++ {
					sim.simulate(opt.Seed, i)
					s.add(sim.analyse())
				}
				p.Blocks[b-lo] = Block{Index: b, Sums: s}
				if opt.Progress != nil {
					opt.Progress(last - first)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("simulation stopped: %w", err)
	}
	return p, nil
}

// ShardTrials returns the number of trials that a shard runs.
func ShardTrials(trials int, sh Shard) int {
	nBlocks := (trials + BlockSize - 1) / BlockSize
	lo, hi := sh.blocks(nBlocks)
	return min(hi*BlockSize, trials) - lo*BlockSize
}

var errMerge = errors.New("could not merge partial results")
