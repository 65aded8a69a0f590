# qvoice. `make run` serves the demo survey on the embedded database;
# `make test` runs every test (it installs the embedded assets first).
GO      ?= go
ADDR    ?= 127.0.0.1:8080
DATA    ?= ./qvoice-data
FUZZTIME ?= 5s
ECHARTS := server/static/vendor/echarts.min.js

.PHONY: run test fuzz bench bench-smoke assets build lint clean-data

run: assets
	$(GO) build -o bin/qvoice ./cmd/qvoice
	./bin/qvoice serve --demo --addr $(ADDR) --data $(DATA)

test: assets fuzz bench-smoke
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

# Every benchmark once, at its smallest size: the short CI variant of the
# load, memory and speed benchmarks (the README's Reliability table gives
# the long runs). Their ratios print but are not judged here: CI machines
# are shared and noisy.
bench-smoke: assets
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 20m ./...

# Each fuzz target for FUZZTIME (-fuzz takes one target per go test); their
# seed corpora (testdata/fuzz) also run in every plain go test.
fuzz: assets
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./surveys/
	$(GO) test -run '^$$' -fuzz '^FuzzParseAnswers$$' -fuzztime $(FUZZTIME) ./surveys/
	$(GO) test -run '^$$' -fuzz '^FuzzJSONIntake$$' -fuzztime $(FUZZTIME) ./server/
	$(GO) test -run '^$$' -fuzz '^FuzzImportCSV$$' -fuzztime $(FUZZTIME) ./surveys/exchange/

bench: assets
	$(GO) test -run '^$$' -bench . -benchmem ./...

build: assets
	$(GO) build -trimpath -ldflags '-s -w' -o qvoice ./cmd/qvoice

# ECharts comes from the npm package pinned in package.json/package-lock.json
# and is embedded in the binary: pages never load it from a CDN.
assets: $(ECHARTS)

$(ECHARTS): package.json package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p $(dir $@)
	cp node_modules/echarts/dist/echarts.min.js $@
	cp node_modules/echarts/LICENSE server/static/vendor/ECHARTS-LICENSE
	cp node_modules/echarts/NOTICE server/static/vendor/ECHARTS-NOTICE

lint:
	gofmt -l . | grep -v node_modules | tee /dev/stderr | (! read)
	$(GO) vet ./...

clean-data:
	rm -rf $(DATA)
