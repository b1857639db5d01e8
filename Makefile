# ml-api: make help lists the targets.
SHELL := bash
, := ,
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8080
MODEL_PATH ?= models/iris-rf.json

# Node 24 LTS for every target: the machine's when it is new enough, else the pinned build that
# scripts/install-node.sh installs into .tools/node.
NODE_BIN := $(shell scripts/install-node.sh)
ifneq ($(NODE_BIN),)
export PATH := $(NODE_BIN):$(PATH)
endif

# The pinned helm and helm-unittest the tests use, built into .tools/ by scripts/install-helm-tools.sh.
TEST_HELM := $(CURDIR)/.tools/bin/helm
TEST_HELM_ENV := HELM=$(TEST_HELM) HELM_PLUGINS=$(CURDIR)/.tools/helm-plugins

# Cluster operations: your helm and kubectl, on the current kube context.
HELM ?= helm
KUBECTL ?= kubectl
RELEASE ?= ml-api
NAMESPACE ?= default
HELM_ARGS ?=
# The chart names its objects after the release, plus "-ml-api" unless the release name contains it.
FULLNAME := $(if $(findstring ml-api,$(RELEASE)),$(RELEASE),$(RELEASE)-ml-api)
SELECTOR := app.kubernetes.io/instance=$(RELEASE),app.kubernetes.io/name=ml-api
APP_VERSION := $(shell sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$$/\1/p' chart/Chart.yaml)
run = @echo '+ $(1)'; $(1)

# Each cluster target first checks that kubectl reaches a cluster and stops with one line when it does not
# (without a context, kubectl would try localhost:8080 and print pages of errors).
define require_cluster
@context=$$($(KUBECTL) config current-context 2>/dev/null) || { echo "error: kubectl has no current context: set KUBECONFIG or a context (for the local cluster: make cluster, then scripts/cluster/exec make $@)" >&2; exit 1; }; \
$(KUBECTL) version --request-timeout=5s >/dev/null 2>&1 || { echo "error: the cluster of kubectl context \"$$context\" does not answer" >&2; exit 1; }
endef

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^##@ / {printf "\n%s\n", substr($$0, 5)} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

##@ Develop

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
build: node_modules/.installed ## Type-check, then bundle the server into dist/bundle/
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

.PHONY: dashboards
dashboards: node_modules/.installed ## Regenerate chart/files/dashboards/*.json from dashboards/*.ts
	npm run -s dashboards

.PHONY: chart-readme
chart-readme: node_modules/.installed ## Regenerate the values table of chart/README.md from values.yaml
	npm run -s chart:readme

.PHONY: image
image: ## Build the image ml-api:<appVersion> with podman (installs podman with apt)
	scripts/image/build.sh

.PHONY: docker-build
docker-build: ## Build the image with docker (IMAGE, default ml-api:<appVersion>)
	$(call run,docker build --build-arg REVISION=$$(git rev-parse --short HEAD) -t $(or $(IMAGE),ml-api:$(APP_VERSION)) .)

.PHONY: docker-smoke
docker-smoke: ## Run an image read-only with docker and check /health, /predict and a clean SIGTERM (IMAGE)
	docker run -d --name ml-api-smoke --read-only --tmpfs /tmp -p 127.0.0.1:8080:8080 $(or $(IMAGE),ml-api:$(APP_VERSION))
	for i in $$(seq 1 50); do curl -sf http://127.0.0.1:8080/ready >/dev/null && break; sleep 0.2; done
	curl -sf http://127.0.0.1:8080/health
	curl -sf http://127.0.0.1:8080/predict -H 'content-type: application/json' -d '{"features":[6.7,3.0,5.2,2.3]}' | grep -q virginica
	docker stop --time 30 ml-api-smoke
	test "$$(docker inspect ml-api-smoke --format '{{.State.ExitCode}}')" = 0
	docker rm ml-api-smoke

.PHONY: clean
clean: ## Remove build output, coverage and installed dependencies (not the local cluster: make cluster-down first)
	rm -rf dist coverage .tap node_modules .tools/node .tools/bin .tools/helm-plugins .tools/podman .tools/images

##@ Test

.PHONY: helm-tools
helm-tools: ## Build the pinned helm and helm-unittest into .tools/ (once; needs Go)
	@scripts/install-helm-tools.sh >/dev/null

.PHONY: test
test: node_modules/.installed lint typecheck helm-tools ## Install, lint, type-check, run the unit and chart tests (helm-unittest included)
	$(TEST_HELM_ENV) npm test
	$(TEST_HELM_ENV) $(TEST_HELM) unittest --strict chart

.PHONY: test-e2e
test-e2e: node_modules/.installed ## End-to-end tests over real sockets and Chromium (installs Chromium with apt)
	scripts/ensure-apt.sh chromium
	npx tap --disable-coverage --timeout 600 test/e2e/*.e2e.ts

.PHONY: test-monitoring
test-monitoring: node_modules/.installed helm-tools ## Alert rules (promtool check/test) and dashboards against a real Prometheus (built from its Go module)
	$(eval PROMETHEUS_BIN := $(shell scripts/install-prometheus.sh))
	$(PROMETHEUS_BIN)/promtool check rules chart/files/alerts.yaml
	$(PROMETHEUS_BIN)/promtool test rules test/alerts/ml-api.rules.test.yaml
	$(TEST_HELM_ENV) PATH=$(PROMETHEUS_BIN):$$PATH npx tap --disable-coverage test/monitoring/*.e2e.ts

.PHONY: test-container
test-container: ## Build the image with podman and check the running container (installs podman with apt)
	scripts/test-container.sh

.PHONY: test-cluster
test-cluster: node_modules/.installed helm-tools ## Prove the chart on the local cluster (brings it up and down; writes docs/kubernetes-results.md)
	scripts/cluster/test.sh

##@ Benchmark

.PHONY: bench
bench: node_modules/.installed ## ml-api against scikit-learn under Flask and FastAPI (about 4 minutes): docs/performance.md (installs the Python servers with apt)
	scripts/ensure-apt.sh python3-sklearn python3-flask gunicorn python3-fastapi python3-uvicorn
	npm run -s bench

.PHONY: bench-model
bench-model: node_modules/.installed ## Benchmark ml-random-forest against the compiled forest
	npm run -s bench:model

.PHONY: loadtest
loadtest: node_modules/.installed ## Staged load on URL (default http://127.0.0.1:8080), PROFILE=smoke|default|hpa; with a cluster, the HPA timeline
	URL=$(or $(URL),http://127.0.0.1:8080) PROFILE=$(or $(PROFILE),default) npm run -s loadtest

##@ Cluster (the local one: make cluster; any other: your kubectl context)

.PHONY: cluster
cluster: ## Bring up the local single-node Kubernetes (root; builds it into .tools/cluster the first time)
	scripts/cluster/up.sh

.PHONY: cluster-down
cluster-down: ## Stop the local cluster and unmount what it mounted (WIPE=1 also deletes its state)
	scripts/cluster/down.sh $(if $(WIPE),--wipe)

.PHONY: cluster-status
cluster-status: ## Say what of the local cluster runs
	scripts/cluster/status.sh

.PHONY: cluster-image
cluster-image: image ## Build the image and import it into the local cluster's containerd
	scripts/cluster/import-image.sh .tools/images/ml-api.tar

.PHONY: deploy
deploy: ## Install or upgrade the release (RELEASE, NAMESPACE, HELM_ARGS="--set ...")
	$(require_cluster)
	$(call run,$(HELM) upgrade --install $(RELEASE) ./chart --namespace $(NAMESPACE) --create-namespace $(HELM_ARGS))

.PHONY: status
status: ## Show the release's Deployment, pods, Service, HPA and PDB
	$(require_cluster)
	$(call run,$(KUBECTL) get deployment$(,)pods$(,)service$(,)hpa$(,)pdb --namespace $(NAMESPACE) --selector $(SELECTOR))

.PHONY: logs
logs: ## Follow the logs of every pod of the release
	$(require_cluster)
	$(call run,$(KUBECTL) logs --namespace $(NAMESPACE) --selector $(SELECTOR) --prefix --follow --tail 100 --max-log-requests 20)

.PHONY: scale
scale: ## Set the replicas: N=5 (with the HPA on, it moves them back within min/max)
	@test -n "$(N)" || { echo 'usage: make scale N=<replicas>' >&2; exit 2; }
	$(require_cluster)
	$(call run,$(KUBECTL) scale deployment/$(FULLNAME) --namespace $(NAMESPACE) --replicas $(N))

.PHONY: port-forward
port-forward: ## Forward 127.0.0.1:8080 to the Service (one pod takes every request: not for load tests)
	$(require_cluster)
	$(call run,$(KUBECTL) port-forward --namespace $(NAMESPACE) service/$(FULLNAME) 8080:80)

.PHONY: restart
restart: ## Rolling restart of the pods, then wait for it
	$(require_cluster)
	$(call run,$(KUBECTL) rollout restart deployment/$(FULLNAME) --namespace $(NAMESPACE))
	$(call run,$(KUBECTL) rollout status deployment/$(FULLNAME) --namespace $(NAMESPACE))

.PHONY: watch
watch: ## Show the HPA and the pods every 2 s (Ctrl-C stops)
	$(require_cluster)
	@while :; do echo "== $$(date +%T)"; $(KUBECTL) get hpa$(,)pods --namespace $(NAMESPACE) --selector $(SELECTOR) 2>&1; sleep 2; done

.PHONY: metrics
metrics: ## CPU and memory of the pods (kubectl top, needs metrics-server), and the HPA
	$(require_cluster)
	$(call run,$(KUBECTL) top pods --namespace $(NAMESPACE) --selector $(SELECTOR))
	$(call run,$(KUBECTL) get hpa $(FULLNAME) --namespace $(NAMESPACE))

.PHONY: helm-test
helm-test: ## Run the chart's test Pod (/health and /predict through the Service); its logs when it fails
	$(require_cluster)
	@echo '+ $(HELM) test $(RELEASE) --namespace $(NAMESPACE)'
	@$(HELM) test $(RELEASE) --namespace $(NAMESPACE) || { $(KUBECTL) logs --namespace $(NAMESPACE) $(FULLNAME)-test; exit 1; }

.PHONY: delete
delete: ## Uninstall the release
	$(require_cluster)
	$(call run,$(HELM) uninstall $(RELEASE) --namespace $(NAMESPACE) --wait)
