# ml-api: make help lists the targets.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8080
MODEL_PATH ?= models/iris-rf.json

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: node_modules/.installed ## Install the npm dependencies (npm ci)

$(MODEL_PATH): | node_modules/.installed
	MODEL_PATH=$(MODEL_PATH) npm run -s train

.PHONY: train
train: node_modules/.installed ## Train the model and write models/iris-rf.json (always retrains)
	MODEL_PATH=$(MODEL_PATH) npm run -s train

.PHONY: tune
tune: node_modules/.installed ## Cross-validate a grid of hyperparameters (how the defaults were chosen)
	npm run -s tune

.PHONY: build
build: node_modules/.installed ## Compile TypeScript to dist/
	npm run -s build

.PHONY: run
run: node_modules/.installed $(MODEL_PATH) build ## Install, train if the model is missing, build, serve on 127.0.0.1:8080 (HOST, PORT)
	HOST=$(HOST) PORT=$(PORT) MODEL_PATH=$(MODEL_PATH) npm start

.PHONY: lint
lint: node_modules/.installed ## Lint (typescript-eslint)
	npm run -s lint

.PHONY: typecheck
typecheck: node_modules/.installed ## Type-check everything, tests included
	npm run -s typecheck

.PHONY: test
test: node_modules/.installed lint typecheck ## Install, lint, type-check and run the unit tests
	npm test

.PHONY: test-e2e
test-e2e: node_modules/.installed ## End-to-end tests over real sockets and Chromium (installs Chromium with apt)
	scripts/ensure-apt.sh chromium chromium
	npx tap --disable-coverage test/e2e/*.e2e.ts

.PHONY: test-monitoring
test-monitoring: node_modules/.installed ## Alert rules (promtool check/test) and dashboards against a real Prometheus (installs it with apt)
	scripts/ensure-apt.sh promtool prometheus
	promtool check rules chart/files/alerts.yaml
	promtool test rules test/alerts/ml-api.rules.test.yaml
	npx tap --disable-coverage test/monitoring/*.e2e.ts

.PHONY: dashboards
dashboards: node_modules/.installed ## Regenerate chart/files/dashboards/*.json from dashboards/*.ts
	npm run -s dashboards

.PHONY: bench-model
bench-model: node_modules/.installed ## Benchmark ml-random-forest against the compiled forest
	npm run -s bench:model

.PHONY: clean
clean: ## Remove build output, coverage and installed dependencies
	rm -rf dist coverage .tap node_modules
