{{/*
Names, labels, selectors, the image reference, the env every container gets, and probes.
A service's effective config (its block over serviceDefaults, and the backend unit) is built in
_config.tpl; what an object holds is in its own template (workload.yaml, service.yaml...), each
of which ranges over the units of "flotilla.units".
*/}}

{{/* "<release>-<chart>", or just the release name when it already contains the chart name. */}}
{{- define "flotilla.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "flotilla.namespace" -}}
{{- default .Release.Namespace .Values.namespace.name -}}
{{- end -}}

{{/* Object name of a service: "<fullname>-<service>". ctx: dict root name */}}
{{- define "flotilla.svcName" -}}
{{- printf "%s-%s" (include "flotilla.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "flotilla.chartLabel" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Recommended labels. ctx: dict root name */}}
{{- define "flotilla.labels" -}}
helm.sh/chart: {{ include "flotilla.chartLabel" .root }}
{{ include "flotilla.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .name }}
app.kubernetes.io/part-of: flotilla
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Immutable selector labels. ctx: dict root name */}}
{{- define "flotilla.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Image reference under global.imageRegistry, by digest when one is set. ctx: dict root cfg */}}
{{- define "flotilla.image" -}}
{{- $img := .cfg.image -}}
{{- $registry := required "global.imageRegistry is required: set it to the registry and path your fleet's images are pushed to (e.g. registry.example.com/flotilla); the chart has no default, so it never pulls from a namespace this project does not own" .root.Values.global.imageRegistry -}}
{{- $repo := printf "%s/%s" $registry (required "image.repository is required for every enabled service" $img.repository) -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $repo $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/* OTEL_* when monitoring.tracing is on, in long-running containers only (their ctx has `sidecar`;
Jobs do not trace), unless `env` sets one. A backend sidecar traces as "<service>-backend". */}}
{{- define "flotilla.tracingEnv" -}}
{{- $t := .root.Values.monitoring.tracing -}}
{{- if and $t.enabled .cfg.tracing.enabled (hasKey . "sidecar") -}}
{{- $vars := dict
  "OTEL_TRACES_EXPORTER" "otlp"
  "OTEL_EXPORTER_OTLP_ENDPOINT" (required "monitoring.tracing.endpoint is required when tracing is enabled" $t.endpoint)
  "OTEL_SERVICE_NAME" (ternary (printf "%s-backend" .name) .name .sidecar)
  "OTEL_TRACES_SAMPLER" $t.sampler
  "OTEL_TRACES_SAMPLER_ARG" $t.samplerArg
  "OTEL_RESOURCE_ATTRIBUTES" "k8s.namespace.name=$(POD_NAMESPACE),k8s.pod.name=$(POD_NAME),k8s.node.name=$(NODE_NAME)" -}}
{{- range $k := keys $vars | sortAlpha }}
{{- if not (hasKey $.env $k) }}
- name: {{ $k }}
  value: {{ get $vars $k | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* "true" when a container reads the fleet's fault file: `faults.enabled`, the service's own
`faults.enabled`, and a long-running container (its ctx has `sidecar`; Jobs never). ctx: dict root cfg (sidecar) */}}
{{- define "flotilla.faultsOn" -}}
{{- if and .root.Values.faults.enabled .cfg.faults.enabled (hasKey . "sidecar") }}true{{ end -}}
{{- end -}}

{{/* The env of a container: PORT, TMPDIR, image, downward API, tracing, FAULTS_FILE, then `env` (sorted), `links`
as host:port, one <VAR>=<file path> per secret file. ctx: dict root name cfg image env links secretName */}}
{{- define "flotilla.envList" -}}
- name: PORT
  value: {{ .cfg.port | quote }}
- name: TMPDIR
  value: /tmp
- name: CONTAINER_IMAGE
  value: {{ .image | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- include "flotilla.tracingEnv" . }}
{{- if and (include "flotilla.faultsOn" .) (not (hasKey .env "FAULTS_FILE")) }}
- name: FAULTS_FILE
  value: {{ printf "%s/faults.json" .root.Values.faults.mountPath | quote }}
{{- end }}
{{- range $k := keys .env | sortAlpha }}
- name: {{ $k }}
  value: {{ get $.env $k | toString | quote }}
{{- end }}
{{- range $k := keys .links | sortAlpha }}
{{- with get $.links $k }}
- name: {{ $k }}
  value: {{ include "flotilla.linkAddress" (dict "root" $.root "name" $.name "link" . "var" $k) | quote }}
{{- end }}
{{- end }}
{{- if .secretName }}
{{- range $k := keys .cfg.secret.fileEnv | sortAlpha }}
- name: {{ $k }}
  value: {{ printf "%s/%s" (trimSuffix "/" $.cfg.secret.mountPath) (get $.cfg.secret.fileEnv $k) | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* One probe: gRPC health on `grpcPort` (optionally `grpcService`), else httpGet `path` on the http
port (`portName`). ctx: the probe block plus portName and what */}}
{{- define "flotilla.probe" -}}
{{- if .grpcPort -}}
grpc:
  port: {{ .grpcPort }}
  {{- with .grpcService }}
  service: {{ . | quote }}
  {{- end }}
{{- else if .grpcService -}}
{{- fail (printf "%s: grpcService needs grpcPort" .what) -}}
{{- else -}}
httpGet:
  path: {{ .path }}
  port: {{ .portName }}
{{- end }}
{{- range $k := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "failureThreshold" "successThreshold" }}
{{- if hasKey $ $k }}
{{ $k }}: {{ get $ $k }}
{{- end }}
{{- end }}
{{- end -}}
