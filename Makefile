# reltui — the two commands that matter:
#   make demo   real backends (VictoriaLogs, Prometheus, Alertmanager, Jaeger)
#               + demo workload + the console
#   make test   every test, unit and integration, against the real stack
#               (and against a real Loki only if the machine has a loki binary;
#               the project never builds Loki)
SHELL := /bin/bash
GO ?= go
BIN := .devstack/bin

.PHONY: demo test build stack-up stack-down stack-clean unit fuzz bench vet fault

build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/reltui ./cmd/reltui
	$(GO) build -o $(BIN)/reltui-demo ./cmd/reltui-demo

demo:
	@bash scripts/demo.sh

test:
	@bash scripts/test.sh

stack-up:
	@bash scripts/stack/up.sh

stack-down:
	@bash scripts/stack/down.sh

stack-clean:
	@bash scripts/stack/down.sh --clean

# Unit tests only (no backends needed).
unit:
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...
	$(GO) vet -tags integration ./...

# Short coverage-guided runs of every fuzz target (FUZZTIME per target).
FUZZTIME ?= 20s
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# make fault KIND=latency|errors|stall injects a fault into the running demo.
fault:
	@source .devstack/stack.env && $(BIN)/reltui-demo fault $(KIND) --control "$$RELTUI_DEMO_CONTROL"
