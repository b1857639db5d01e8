{{/* The chart name, overridable with nameOverride. */}}
{{- define "ml-api.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name of the release's objects: the release name, with the chart name unless it contains it. */}}
{{- define "ml-api.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* A component's name: fullname-component, kept within 63 characters. */}}
{{- define "ml-api.componentName" -}}
{{- printf "%s-%s" (include "ml-api.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component }}
{{- end }}

{{- define "ml-api.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "ml-api.labels" -}}
helm.sh/chart: {{ include "ml-api.chart" . }}
{{ include "ml-api.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ml-api
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of the model server: name and instance only, so they never change on upgrade. */}}
{{- define "ml-api.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ml-api.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of a bundled monitoring component (prometheus, grafana). */}}
{{- define "ml-api.componentLabels" -}}
helm.sh/chart: {{ include "ml-api.chart" .root }}
{{ include "ml-api.componentSelectorLabels" . }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: ml-api
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "ml-api.componentSelectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: monitoring
{{- end }}

{{/* `annotations:` of an object (indented for metadata), merging its own with commonAnnotations; nothing when both are empty. */}}
{{- define "ml-api.annotations" -}}
{{- $merged := merge (deepCopy (default dict .extra)) (default dict .root.Values.commonAnnotations) }}
{{- with $merged }}
{{ printf "annotations:\n%s" (toYaml . | indent 2) | indent 2 }}
{{- end }}
{{- end }}

{{- define "ml-api.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ml-api.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: registry/repository, then @digest or :tag (default: appVersion). */}}
{{- define "ml-api.image" -}}
{{- $repository := ternary (printf "%s/%s" .registry .repository) .repository (ne (toString .registry) "") }}
{{- if .digest }}
{{- printf "%s@%s" $repository .digest }}
{{- else }}
{{- printf "%s:%s" $repository (toString (default .defaultTag .tag)) }}
{{- end }}
{{- end }}

{{/* The port /metrics is scraped on: the API port, or metrics.port when it is separate. */}}
{{- define "ml-api.metricsPortName" -}}
{{- if .Values.metrics.port }}metrics{{ else }}http{{ end }}
{{- end }}

{{/*
The alert rules, with the release's name in place of "ml-api" in their selectors and monitoring.runbookBaseUrl
in place of the project's runbook page, which files/alerts.yaml links.
*/}}
{{- define "ml-api.alertRules" -}}
{{- $rules := .Files.Get "files/alerts.yaml" | replace "\"ml-api" (printf "\"%s" (include "ml-api.fullname" .)) }}
{{- $base := required "monitoring.runbookBaseUrl must be set (the page the alerts' runbook_url links)" .Values.monitoring.runbookBaseUrl }}
{{- $rules | replace "runbook_url: https://github.com/ml-api/ml-api/blob/main/docs/runbooks.md#" (printf "runbook_url: %s#" $base) }}
{{- end }}

{{/*
Replicas of the Deployment. Without the HPA: replicaCount. With it: replicaCount (within the HPA's bounds) at
install, then on upgrades the live count, so that an upgrade never undoes what the HPA decided.
*/}}
{{- define "ml-api.replicas" -}}
{{- if not .Values.autoscaling.enabled -}}
{{ .Values.replicaCount }}
{{- else -}}
{{- $live := lookup "apps/v1" "Deployment" .Release.Namespace (include "ml-api.fullname" .) -}}
{{- if and $live $live.spec.replicas -}}
{{ $live.spec.replicas }}
{{- else -}}
{{ max (int .Values.autoscaling.minReplicas) (min (int .Values.autoscaling.maxReplicas) (int .Values.replicaCount)) }}
{{- end -}}
{{- end -}}
{{- end }}

{{/* Values that contradict each other stop the rendering with a message saying what to change. */}}
{{- define "ml-api.validateValues" -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- fail (printf "autoscaling.maxReplicas (%d) must be at least autoscaling.minReplicas (%d)" (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- end }}
{{- $shutdown := add .Values.lifecycle.preStopDelaySeconds .Values.config.gracePeriodSeconds }}
{{- if lt (int .Values.terminationGracePeriodSeconds) (int $shutdown) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be at least lifecycle.preStopDelaySeconds + config.gracePeriodSeconds (%d), or Kubernetes kills pods before they drain" (int .Values.terminationGracePeriodSeconds) (int $shutdown)) }}
{{- end }}
{{- if ge (int .Values.config.drainDelaySeconds) (int .Values.config.gracePeriodSeconds) }}
{{- fail (printf "config.drainDelaySeconds (%d) must be shorter than config.gracePeriodSeconds (%d)" (int .Values.config.drainDelaySeconds) (int .Values.config.gracePeriodSeconds)) }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (not .Values.autoscaling.enabled) (lt (int .Values.replicaCount) 2) }}
{{- fail "podDisruptionBudget.enabled needs at least 2 replicas (replicaCount), or it blocks every node drain" }}
{{- end }}
{{- if and .Values.metrics.port (eq (int .Values.metrics.port) (int .Values.containerPort)) }}
{{- fail "metrics.port must differ from containerPort" }}
{{- end }}
{{- end }}

{{/*
Where the served model comes from: "artifact" (model.artifact, in the chart's ConfigMap), "configMap"
(model.existingConfigMap), "claim" (model.existingClaim), "image" (model.image.reference), or "" (the
image's own). Fails on more than one.
*/}}
{{- define "ml-api.modelSource" -}}
{{- $sources := list }}
{{- if .Values.model.artifact }}{{ $sources = append $sources "artifact" }}{{ end }}
{{- if .Values.model.existingConfigMap }}{{ $sources = append $sources "configMap" }}{{ end }}
{{- if .Values.model.existingClaim }}{{ $sources = append $sources "claim" }}{{ end }}
{{- if .Values.model.image.reference }}{{ $sources = append $sources "image" }}{{ end }}
{{- if gt (len $sources) 1 }}
{{- fail "set one model source: model.artifact, model.existingConfigMap, model.existingClaim or model.image.reference" }}
{{- end }}
{{- $sources | first | default "" }}
{{- end }}

{{/* The artifact's path in the container when the chart mounts one: under /models. */}}
{{- define "ml-api.modelPath" -}}
{{- $source := include "ml-api.modelSource" . }}
{{- $path := .Values.model.path | trimPrefix "/" }}
{{- if or (eq $source "claim") (and (eq $source "image") (eq .Values.model.image.mount "volume")) }}/models/{{ $path }}
{{- else if eq $source "image" }}/models/{{ base $path }}{{/* where the init container copies it */}}
{{- else }}/models/{{ .Values.model.key }}{{ end }}
{{- end }}

{{/* The sha256 the server checks the artifact against: model.sha256, or the one of model.artifact (which must agree). */}}
{{- define "ml-api.modelSha256" -}}
{{- if .Values.model.artifact }}
{{- $computed := sha256sum .Values.model.artifact }}
{{- if and .Values.model.sha256 (ne (lower .Values.model.sha256) $computed) }}
{{- fail (printf "model.sha256 is %s but model.artifact's sha256 is %s" .Values.model.sha256 $computed) }}
{{- end }}
{{- $computed }}
{{- else }}
{{- .Values.model.sha256 }}
{{- end }}
{{- end }}
