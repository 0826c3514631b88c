# ketcurves — run every stage for every study under datasets/.
#
#   make                 ingest, derive, fit, plot and report every study into reports/
#   make STUDY=example   the same for one study
#   make index           the project index, reports/index.html and index.md (part of make)
#   make browser-check   open the index and every report in headless Chromium (installs it if absent)
#   make study DIR=path/to/my-study [OUT=path/to/out]   run on your own study folder
#   make test            unit, reference (R) and golden tests
#   make verify          regenerate data and reports in a scratch copy; fail on any difference
#   make data            regenerate the simulated studies from their scenario.yaml
#   make bench           benchmarks (and the comparison with R when Rscript is installed)
#   make bench-small     the same at small sizes (CI)
#   make coverage        Monte Carlo check that 95% CIs cover the truth 94-96% of the time
#   make clean           remove build/ (intermediate files and binaries)
#
# Stages, one target each: ingest, derive, fit, plot, report.

SHELL    := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
# Recipes that do not wait on each other (the studies, index and synthesis)
# run in parallel, one job per core; make -j1 runs them one at a time. No
# output depends on the order.
MAKEFLAGS += -j$(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

GO       ?= go
# PNG resolution of the bundled reports' figures, for screens (the SVG and PDF beside
# them are vector graphics for print; plot's own default is 300 dpi).
PNG_DPI  ?= 150
BUILD    ?= build
DATASETS ?= datasets
REPORTS  ?= reports
BIN      := $(BUILD)/bin

ALL_STUDIES := $(sort $(patsubst $(DATASETS)/%/study.yaml,%,$(wildcard $(DATASETS)/*/study.yaml)))
STUDY    ?= $(ALL_STUDIES)
SIM_STUDIES := $(sort $(patsubst $(DATASETS)/%/scenario.yaml,%,$(wildcard $(DATASETS)/*/scenario.yaml)))

# Sources of the programs: Go files and the files they embed (go:embed).
GOSRC := go.mod go.sum $(shell find cmd pipeline \( -name '*.go' -not -name '*_test.go' \) -o -name '*.tmpl' 2>/dev/null)
PROGRAMS := ingest derive fit plot report index synthesis

.PHONY: all ingest derive fit plot report study test verify data bench clean help fuzz synthesis
.DEFAULT_GOAL := all

# The programs of make (all) are built by one go command, which links them
# in parallel, without the symbol table and DWARF (-s -w: linking takes a
# third less time; panics and pprof profiles still name functions, files
# and lines). Others (simulate, benchcmp, power) are built one at a time,
# in full, when a target needs them.
$(addprefix $(BIN)/,$(PROGRAMS)) &: $(GOSRC)
	@mkdir -p $(BIN)
	$(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/ $(addprefix ./cmd/,$(PROGRAMS))

$(BIN)/%: $(GOSRC)
	@mkdir -p $(BIN)
	$(GO) build -trimpath -o $@ ./cmd/$*

# study_rules NAME, DIR, OUT: the rules of one study folder DIR whose outputs go to OUT.
define study_rules
# The study's own ADTTE: adtte.xpt (SAS XPORT) when present, else adtte.csv; without either it is derived.
$(1)_GIVEN := $$(firstword $$(wildcard $(2)/adtte.xpt $(2)/adtte.csv))
$(1)_ADTTE := $$(if $$($(1)_GIVEN),$$($(1)_GIVEN),$(3)/adtte.csv)
$$(if $$(and $$($(1)_GIVEN),$$(wildcard $(2)/adqs.csv)),$$(warning $(2) has both $$(notdir $$($(1)_GIVEN)) and adqs.csv: $$(notdir $$($(1)_GIVEN)) is analysed as it is and nothing is derived; remove it to derive adtte.csv from adqs.csv))
$(1)_INPUTS := $$(wildcard $(2)/study.yaml $(2)/adsl.csv $(2)/adqs.csv $(2)/adce.csv)
$(1)_EXCLUSIONS := $$(if $$($(1)_GIVEN),,$(3)/derive_exclusions.csv)

$(3)/adtte.csv $(3)/derive_exclusions.csv &: $$($(1)_INPUTS) $(BIN)/derive
	$(BIN)/derive -study $(2) -out $$@ -exclusions $(3)/derive_exclusions.csv

$(3)/ingest.json: $$($(1)_INPUTS) $$($(1)_ADTTE) $(BIN)/ingest
	$(BIN)/ingest -study $(2) -adtte $$($(1)_ADTTE) -out $(3)

$(3)/tables/results.json: $(3)/ingest.json $$($(1)_ADTTE) $(2)/study.yaml $(BIN)/fit
	$(BIN)/fit -adtte $$($(1)_ADTTE) -study $(2)/study.yaml -out $(3)/tables

# figures.json is written last, after every figure: it stands for them all.
# Subject-level figures (trajectories, swimmer) read the visit scores and the ADTTE.
$(1)_PLOTDATA := -adtte $$($(1)_ADTTE) $$(if $$(wildcard $(2)/adqs.csv),-adqs $(2)/adqs.csv) $$(if $$(wildcard $(2)/adsl.csv),-adsl $(2)/adsl.csv)
$(3)/figures/figures.json: $(3)/tables/results.json $$($(1)_ADTTE) $$(wildcard $(2)/adqs.csv $(2)/adsl.csv) $(BIN)/plot
	$(BIN)/plot -results $(3)/tables/results.json $$($(1)_PLOTDATA) -dpi $(PNG_DPI) -out $(3)/figures

$(3)/report.html: $(3)/tables/results.json $(3)/ingest.json $(3)/figures/figures.json $$($(1)_EXCLUSIONS) $(BIN)/report
	$(BIN)/report -results $(3)/tables/results.json -figures $(3)/figures -ingest $(3)/ingest.json $$(if $$($(1)_EXCLUSIONS),-exclusions $$($(1)_EXCLUSIONS)) -out $(3)

$(1)-derive: $$($(1)_ADTTE) $$($(1)_EXCLUSIONS)
$(1)-ingest: $(3)/ingest.json
$(1)-fit: $(3)/tables/results.json
$(1)-plot: $(3)/figures/figures.json
$(1)-report: $(3)/report.html
.PHONY: $(1)-derive $(1)-ingest $(1)-fit $(1)-plot $(1)-report
endef

$(foreach s,$(ALL_STUDIES),$(eval $(call study_rules,$(s),$(DATASETS)/$(s),$(REPORTS)/$(s))))

all: report index synthesis

# The cross-trial synthesis (reports/synthesis), after every study's results;
# the example studies exercise the pipeline and are left out of it.
SYNTHESIS_EXCLUDE := example,example-xpt
$(REPORTS)/synthesis/synthesis.html: $(foreach s,$(ALL_STUDIES),$(REPORTS)/$(s)/tables/results.json) $(BIN)/synthesis
	$(BIN)/synthesis -reports $(REPORTS) -out $(REPORTS)/synthesis -exclude $(SYNTHESIS_EXCLUDE)
synthesis: $(REPORTS)/synthesis/synthesis.html

# The project index: one row per study and endpoint, from every
# reports/*/tables/results.json, linking to each report.
INDEX_INPUTS := $(foreach s,$(ALL_STUDIES),$(REPORTS)/$(s)/tables/results.json)
$(REPORTS)/index.html $(REPORTS)/index.md &: $(INDEX_INPUTS) $(BIN)/index
	$(BIN)/index -reports $(REPORTS)
index: $(REPORTS)/index.html
.PHONY: index

# Headless Chromium on the index and every report (cmd/browsercheck via
# .ci/browser-check, which installs chromium with apt-get when absent);
# screenshots in build/browser/.
browser-check: index
	REPORTS=$(REPORTS) BUILD=$(BUILD) .ci/browser-check
.PHONY: browser-check
derive: $(addsuffix -derive,$(STUDY))
ingest: $(addsuffix -ingest,$(STUDY))
fit:    $(addsuffix -fit,$(STUDY))
plot:   $(addsuffix -plot,$(STUDY))
report: $(addsuffix -report,$(STUDY))

# Your own study folder: make study DIR=path/to/my-study [OUT=build/my-study/reports]
# DIR and OUT may contain spaces, which make cannot keep in targets or in
# variable names: the study is then reached through a symbolic link with a
# safe name, build/links/user-NAME (and build/links/user-NAME-out for OUT),
# NAME being the folder's base name with every character other than
# letters, digits, '.', '_' and '-' replaced by '_'. A path may not contain
# a single quote, a dollar sign or a backslash.
ifdef DIR
empty :=
space := $(empty) $(empty)
$(foreach c,' $$ \,$(if $(findstring $(c),$(DIR)$(OUT)),$(error DIR and OUT may not contain $(c): rename the folder)))
USER_DIR := $(shell d='$(DIR)'; while [ "$${d%/}" != "$$d" ] && [ "$$d" != / ]; do d="$${d%/}"; done; printf '%s' "$$d")
$(if $(shell test -d '$(USER_DIR)' || echo missing),$(error DIR=$(USER_DIR) is not a folder: give the study folder holding study.yaml))
USER_NAME := user-$(shell printf '%s' '$(USER_DIR)' | sed 's|.*/||; s|[^A-Za-z0-9._-]|_|g')
ifneq ($(findstring $(space),$(USER_DIR)),)
USER_DIR := $(shell mkdir -p $(BUILD)/links && ln -sfn "$$(cd '$(USER_DIR)' && pwd)" $(BUILD)/links/$(USER_NAME) && printf '%s' $(BUILD)/links/$(USER_NAME))
endif
OUT ?= $(BUILD)/$(USER_NAME)/reports
USER_OUT := $(OUT)
ifneq ($(findstring $(space),$(OUT)),)
USER_OUT := $(shell mkdir -p '$(OUT)' $(BUILD)/links && ln -sfn "$$(cd '$(OUT)' && pwd)" $(BUILD)/links/$(USER_NAME)-out && printf '%s' $(BUILD)/links/$(USER_NAME)-out)
endif
$(eval $(call study_rules,$(USER_NAME),$(USER_DIR),$(USER_OUT)))
study: $(USER_NAME)-report
	@echo 'report: $(OUT)/report.html'
else
study:
	@echo "usage: make study DIR=path/to/my-study [OUT=path/to/output]"; exit 2
endif

# Every fuzz test in turn, FUZZTIME each (make fuzz FUZZTIME=30s); .ci/fuzz runs
# them for 10 s each. A crasher is written to the package's testdata/fuzz/FuzzX/:
# fix the bug and commit the file as a regression seed.
FUZZTIME ?= 10s
FUZZ_TARGETS := \
	pipeline/adam:FuzzReadADTTE pipeline/adam:FuzzReadADSL pipeline/adam:FuzzReadADQS pipeline/adam:FuzzReadADCE \
	pipeline/xport:FuzzDecode pipeline/datasetjson:FuzzRead \
	pipeline/study:FuzzParse pipeline/sim:FuzzParseScenario pipeline/mc:FuzzParseDesign \
	pipeline/schema:FuzzDecodeResults pipeline/schema:FuzzDecodeFiguresManifest
fuzz:
	@for t in $(FUZZ_TARGETS); do \
	   pkg=$${t%%:*}; fn=$${t##*:}; \
	   echo "$(GO) test -run '^$$' -fuzz '^$$fn\$$' -fuzztime $(FUZZTIME) ./$$pkg/"; \
	   $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./$$pkg/ || exit 1; \
	 done

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Regenerate everything (simulated data and reports) in a scratch copy of the
# tracked files and compare byte for byte with what is committed. The scratch
# run uses GOMAXPROCS=1, so the check also proves that outputs do not depend
# on the number of cores.
VERIFY := $(BUILD)/verify
# The reports record the Go release that made them: verify builds with the
# release named by go.mod's toolchain line (fetched by the go command if the
# installed one differs).
VERIFY_GO := $(shell sed -n 's/^toolchain //p' go.mod)
verify:
	@rm -rf $(VERIFY) && mkdir -p $(VERIFY)/tree
	@git ls-files -z --cached --others --exclude-standard | grep -zv '^$(REPORTS)/[^/]*/' | xargs -0 tar cf - | tar xf - -C $(VERIFY)/tree
	@# The simulated studies' CSVs are removed first: make data must write every one of them again.
	@for s in $(SIM_STUDIES); do rm -f $(VERIFY)/tree/$(DATASETS)/$$s/*.csv; done
	@if [ -n "$(SIM_STUDIES)" ]; then GOTOOLCHAIN=$(VERIFY_GO) $(MAKE) --no-print-directory -C $(VERIFY)/tree data >$(VERIFY)/data.log 2>&1 || { cat $(VERIFY)/data.log; exit 1; }; fi
	@GOTOOLCHAIN=$(VERIFY_GO) GOMAXPROCS=1 $(MAKE) --no-print-directory -C $(VERIFY)/tree all >$(VERIFY)/all.log 2>&1 || { cat $(VERIFY)/all.log; exit 1; }
	@status=0; \
	 diff -rq $(DATASETS) $(VERIFY)/tree/$(DATASETS) >$(VERIFY)/datasets.diff || status=1; \
	 diff -rq $(REPORTS) $(VERIFY)/tree/$(REPORTS) >$(VERIFY)/reports.diff || status=1; \
	 if [ $$status -ne 0 ]; then \
	   echo "verify: regenerated files differ from the committed ones:"; cat $(VERIFY)/datasets.diff $(VERIFY)/reports.diff; exit 1; \
	 fi; \
	 echo "verify: datasets/ and reports/ reproduce byte for byte ($$(find $(REPORTS) -type f | wc -l) report files)"

data: $(addprefix $(BIN)/,simulate)
	@for s in $(SIM_STUDIES); do \
	   echo "$(BIN)/simulate -scenario $(DATASETS)/$$s/scenario.yaml -out $(DATASETS)/$$s"; \
	   $(BIN)/simulate -scenario $(DATASETS)/$$s/scenario.yaml -out $(DATASETS)/$$s; \
	 done

# Go benchmarks of every package, then the whole-process comparison of the
# real fit program with R on the same generated files (cmd/benchcmp: fit with
# the flags a user types against Rscript cmd/benchcmp/testdata/bench.R, for
# read + Cox, read + KM + log-rank and read + Weibull AFT at BENCH_SIZES rows,
# R up to 1e6; Fine-Gray against cmprsk::crr at BENCH_FG_SIZES rows, R once;
# time, CPU, peak memory, their ratios, the targets of issues 9, 10 and 13,
# and the estimates checked to 1e-6; then BENCH_MC_TRIALS simulated trials;
# the R columns are skipped, with a message, when Rscript is missing). About
# 15-20 minutes on 2 cores (crr alone takes minutes at 5e4 rows).
# make bench-small: the same at 1e3 and 1e4 rows, each Go benchmark once and
# 1,000 trials (about a minute; CI runs it).
BENCH_SIZES ?= 1e3,1e4,1e5,1e6,1e7
BENCH_FG_SIZES ?= 5e4
BENCH_GOFLAGS ?=
BENCH_REPEAT ?= 3
BENCH_MC_TRIALS ?= 10000
bench: $(BIN)/benchcmp $(BIN)/fit
	$(GO) test -run '^$$' -bench . -benchmem $(BENCH_GOFLAGS) ./pipeline/...
	$(BIN)/benchcmp compare -fit $(BIN)/fit -sizes $(BENCH_SIZES) -finegray-sizes $(BENCH_FG_SIZES) -repeat $(BENCH_REPEAT) -mc-trials $(BENCH_MC_TRIALS) -dir $(BUILD)/bench

.PHONY: bench-small
bench-small:
	$(MAKE) --no-print-directory bench BENCH_SIZES=1e3,1e4 BENCH_FG_SIZES=1e3,2e3 BENCH_GOFLAGS='-short -benchtime 1x' BENCH_REPEAT=1 BENCH_MC_TRIALS=1000

# Coverage of the 95% intervals (Cox HR, each arm's KM median, RMST
# difference) over 2,000 simulated trials must be within 94-96% (cmd/power,
# about 2 s). A Monte Carlo check, not part of make test.
.PHONY: coverage
coverage: $(BIN)/power
	$(BIN)/power -design cmd/power/testdata/coverage.yaml -trials 2000 -seed 1 -check-coverage 0.94,0.96 -out $(BUILD)/coverage/result.json

clean:
	rm -rf $(BUILD)

help:
	@sed -n '1,/^$$/p' Makefile
