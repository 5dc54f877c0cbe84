{{/*
Named helpers shared by the per-kind templates. Every per-kind template loops over
.Values.services and calls "flotilla.config" to get the service block merged over
.Values.serviceDefaults; none of them knows any service by name.
*/}}

{{- define "flotilla.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

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

{{/*
Deep merge: maps merge key by key, anything else (lists, scalars, false, 0, null) in
"override" replaces "base". Sprig's merge/mergeOverwrite skip false and 0, which would
make `enabled: false` in a service block impossible, hence this helper.
*/}}
{{- define "flotilla.deepMerge" -}}
{{- $out := deepCopy .base -}}
{{- range $k, $v := .override -}}
{{- if and (kindIs "map" $v) (kindIs "map" (get $out $k)) -}}
{{- $_ := set $out $k (include "flotilla.deepMerge" (dict "base" (get $out $k) "override" $v) | fromYaml) -}}
{{- else -}}
{{- $_ := set $out $k $v -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Effective config of one service (YAML). ctx: dict root name */}}
{{- define "flotilla.config" -}}
{{- $block := get .root.Values.services .name -}}
{{- include "flotilla.deepMerge" (dict "base" .root.Values.serviceDefaults "override" $block) -}}
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

{{/* Label a client Pod carries to pass a service's NetworkPolicy. ctx: dict root name */}}
{{- define "flotilla.clientLabel" -}}
{{ include "flotilla.svcName" . }}-client
{{- end -}}

{{/* Image reference, by digest when one is set. ctx: dict root cfg */}}
{{- define "flotilla.image" -}}
{{- $img := .cfg.image -}}
{{- $repo := required "image.repository is required for every enabled service" $img.repository -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $repo $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/*
The units to render, sorted by name, as YAML {units: [{name, cfg}]}: every enabled service,
plus "<service>-backend" for a service whose `backend` runs as its own StatefulSet. Every
per-kind template ranges over this list, so a backend unit gets the same Service,
ServiceAccount, NetworkPolicy and workload as any service.
*/}}
{{- define "flotilla.units" -}}
{{- $units := list -}}
{{- range $name := keys .Values.services | sortAlpha -}}
{{- $cfg := include "flotilla.config" (dict "root" $ "name" $name) | fromYaml -}}
{{- if $cfg.enabled -}}
{{- $units = append $units (dict "name" $name "cfg" $cfg) -}}
{{- if include "flotilla.backendUnit" $cfg -}}
{{- $units = append $units (dict "name" (printf "%s-backend" $name) "cfg" (include "flotilla.backendConfig" (dict "root" $ "cfg" $cfg) | fromYaml)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "units" $units) -}}
{{- end -}}

{{/* "true" when the service's backend is its own StatefulSet unit. ctx: cfg */}}
{{- define "flotilla.backendUnit" -}}
{{- if and .backend.enabled (eq .backend.mode "statefulset") }}true{{ end -}}
{{- end -}}

{{/* "true" when the service's backend is a native sidecar of its pods. ctx: cfg */}}
{{- define "flotilla.backendSidecar" -}}
{{- if and .backend.enabled (eq .backend.mode "sidecar") }}true{{ end -}}
{{- end -}}

{{/*
Effective config of a service's backend (YAML): serviceDefaults, then what it shares with its
service (image, security, scheduling, metrics), then the backend block's own keys. Used as the
sidecar container's config and as the StatefulSet unit's config. ctx: dict root cfg
*/}}
{{- define "flotilla.backendConfig" -}}
{{- $cfg := .cfg -}}
{{- $shared := pick $cfg "image" "serviceAccount" "podSecurityContext" "securityContext" "nodeSelector" "tolerations" "metrics" "terminationGracePeriodSeconds" "tmp" -}}
{{- /* Only the service's pods (client label) call it, and only on the port they dial. */ -}}
{{- $_ := set $shared "networkPolicy" (dict "enabled" $cfg.networkPolicy.enabled "ports" (list $cfg.backend.addressPort)) -}}
{{- $_ = set $shared "service" (dict "port" $cfg.backend.port) -}}
{{- $own := pick $cfg.backend "port" "extraPorts" "env" "probes" "resources" "data" -}}
{{- $fixed := dict "enabled" true "kind" "StatefulSet" "replicas" 1 "autoscaling" (dict "enabled" false) "pdb" (dict "enabled" false) "backend" (dict "enabled" false) -}}
{{- $out := include "flotilla.deepMerge" (dict "base" .root.Values.serviceDefaults "override" $shared) | fromYaml -}}
{{- $out = include "flotilla.deepMerge" (dict "base" $out "override" $own) | fromYaml -}}
{{- include "flotilla.deepMerge" (dict "base" $out "override" $fixed) -}}
{{- end -}}

{{/*
Port number of a named port of a config: "http" is `port`, others come from `extraPorts`.
ctx: dict cfg port(name) side("container"|"service") what(for the error message)
*/}}
{{- define "flotilla.portOf" -}}
{{- $found := "" -}}
{{- if eq .port "http" -}}
{{- $found = ternary .cfg.port .cfg.service.port (eq .side "container") -}}
{{- else -}}
{{- range .cfg.extraPorts -}}
{{- if eq .name $.port -}}
{{- $found = ternary .containerPort (default .containerPort .servicePort) (eq $.side "container") -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $found -}}
{{- fail (printf "%s: no port named %q" .what .port) -}}
{{- end -}}
{{- $found | int -}}
{{- end -}}

{{/*
"host:port" of another service of this release, through its Service.
ctx: dict root name(the referring service, for errors) link({service, port}) var
*/}}
{{- define "flotilla.linkAddress" -}}
{{- $what := printf "services.%s.serviceLinks.%s" .name .var -}}
{{- $target := dict "root" .root "name" .link.service -}}
{{- if not (hasKey .root.Values.services .link.service) -}}
{{- fail (printf "%s: no service %q" $what .link.service) -}}
{{- end -}}
{{- $tcfg := include "flotilla.config" $target | fromYaml -}}
{{- if not $tcfg.enabled -}}
{{- fail (printf "%s: service %q is not enabled (enable it, or set the link to null)" $what .link.service) -}}
{{- end -}}
{{- printf "%s:%s" (include "flotilla.svcName" $target) (include "flotilla.portOf" (dict "cfg" $tcfg "port" (default "http" .link.port) "side" "service" "what" $what)) -}}
{{- end -}}

{{/*
Labels that admit a pod through the NetworkPolicies of the services it calls: one client label
per serviceLinks target, plus the backend unit's when the service has one.
ctx: dict root name cfg links  (YAML map, possibly empty)
*/}}
{{- define "flotilla.clientLabels" -}}
{{- $out := dict -}}
{{- range $var, $link := .links -}}
{{- if $link -}}
{{- $_ := set $out (include "flotilla.clientLabel" (dict "root" $.root "name" $link.service)) "true" -}}
{{- end -}}
{{- end -}}
{{- if and .cfg (include "flotilla.backendUnit" .cfg) -}}
{{- $_ := set $out (include "flotilla.clientLabel" (dict "root" .root "name" (printf "%s-backend" .name))) "true" -}}
{{- end -}}
{{- if $out }}{{ toYaml $out }}{{ end -}}
{{- end -}}

{{/*
Plain env of a service's own containers (YAML map): its `env`, the backend address in
`backend.addressEnv`, and the `serviceEnv` of each enabled job (e.g. MIGRATE_ON_START=false
while a hook Job migrates). ctx: dict root name cfg
*/}}
{{- define "flotilla.serviceEnv" -}}
{{- $env := deepCopy (default (dict) .cfg.env) -}}
{{- $b := .cfg.backend -}}
{{- if and $b.enabled $b.addressEnv -}}
{{- $bcfg := include "flotilla.backendConfig" (dict "root" .root "cfg" .cfg) | fromYaml -}}
{{- $what := printf "services.%s.backend.addressPort" .name -}}
{{- if include "flotilla.backendSidecar" .cfg -}}
{{- $_ := set $env $b.addressEnv (printf "127.0.0.1:%s" (include "flotilla.portOf" (dict "cfg" $bcfg "port" $b.addressPort "side" "container" "what" $what))) -}}
{{- else -}}
{{- $_ := set $env $b.addressEnv (printf "%s:%s" (include "flotilla.svcName" (dict "root" .root "name" (printf "%s-backend" .name))) (include "flotilla.portOf" (dict "cfg" $bcfg "port" $b.addressPort "side" "service" "what" $what))) -}}
{{- end -}}
{{- end -}}
{{- range $jobName, $job := .cfg.jobs -}}
{{- if $job.enabled -}}
{{- range $k, $v := $job.serviceEnv -}}
{{- $_ := set $env $k $v -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* Name of the Secret mounted as files, or "". ctx: dict root name cfg */}}
{{- define "flotilla.secretName" -}}
{{- $s := .cfg.secret -}}
{{- if and $s.existingSecret $s.create -}}
{{- fail (printf "services.%s.secret: set existingSecret or create, not both" .name) -}}
{{- end -}}
{{- if $s.existingSecret -}}
{{- $s.existingSecret -}}
{{- else if $s.create -}}
{{- include "flotilla.svcName" . -}}
{{- end -}}
{{- end -}}

{{/*
OpenTelemetry's variables when monitoring.tracing is on, for the service containers (the
workloads' contexts carry `sidecar`; Jobs run one-shot entries that do not trace), after the
downward API entries OTEL_RESOURCE_ATTRIBUTES refers to; a variable the service's own `env` sets
is left to it. The backend sidecar is its own service.name (routeguide-backend), as the backend
StatefulSet unit is. ctx: as flotilla.envList
*/}}
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

{{/*
The env list of a container: the fixed entries (PORT, TMPDIR, image, downward API), then `env`
(sorted), `links` as host:port, and one <VAR>=<file path> per secret file.
ctx: dict root name cfg image env links secretName
*/}}
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

{{/* Volume mounts of a container. Volume names carry `prefix` (a sidecar's own volumes). ctx: dict name cfg prefix secretName */}}
{{- define "flotilla.volumeMounts" -}}
- name: {{ .prefix }}tmp
  mountPath: /tmp
{{- if .cfg.configMap.data }}
- name: {{ .prefix }}config
  mountPath: {{ required (printf "services.%s.configMap.mountPath is required when configMap.data is set" .name) .cfg.configMap.mountPath }}
  readOnly: true
{{- end }}
{{- if .secretName }}
- name: {{ .prefix }}secret
  mountPath: {{ .cfg.secret.mountPath }}
  readOnly: true
{{- end }}
{{- if .cfg.data.mountPath }}
- name: {{ .prefix }}data
  mountPath: {{ .cfg.data.mountPath }}
{{- end }}
{{- with .cfg.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Pod volumes matching "flotilla.volumeMounts". `data` is an emptyDir (per pod) in a Deployment;
a StatefulSet gets it from volumeClaimTemplates instead. ctx: dict root name cfg prefix secretName
*/}}
{{- define "flotilla.volumes" -}}
- name: {{ .prefix }}tmp
  emptyDir:
    sizeLimit: {{ .cfg.tmp.sizeLimit }}
{{- if .cfg.configMap.data }}
- name: {{ .prefix }}config
  configMap:
    name: {{ include "flotilla.svcName" . }}
{{- end }}
{{- if .secretName }}
- name: {{ .prefix }}secret
  secret:
    secretName: {{ .secretName }}
    # 0440: readable by the pod's fsGroup, never world-readable
    defaultMode: 288
    {{- with .cfg.secret.fileEnv }}
    # only the keys the service reads; a missing key fails the mount instead of the service
    items:
      {{- range $k := values . | uniq | sortAlpha }}
      - key: {{ $k }}
        path: {{ $k }}
      {{- end }}
    {{- end }}
{{- end }}
{{- if and .cfg.data.mountPath (or .prefix (ne .cfg.kind "StatefulSet")) }}
- name: {{ .prefix }}data
  emptyDir:
    sizeLimit: {{ .cfg.data.sizeLimit }}
{{- end }}
{{- with .cfg.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
One probe: native gRPC health on `grpcPort` (optionally `grpcService`), else httpGet `path` on
the container's http port (`portName`). ctx: the probe block plus portName and what
*/}}
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

{{/*
A long-running container of a workload (the service's own, or its backend sidecar), from one
config. Port and volume names carry `prefix` so two configs fit in one pod.
ctx: dict root name cfg image containerName prefix env links secretName sidecar
*/}}
{{- define "flotilla.container" -}}
- name: {{ .containerName }}
  image: {{ .image }}
  imagePullPolicy: {{ .cfg.image.pullPolicy }}
  {{- if .sidecar }}
  # native sidecar: started before, and stopped after, the service's container
  restartPolicy: Always
  {{- end }}
  {{- with .cfg.args }}
  args:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - name: {{ .prefix }}http
      containerPort: {{ .cfg.port }}
      protocol: TCP
    {{- range .cfg.extraPorts }}
    - name: {{ $.prefix }}{{ .name }}
      containerPort: {{ .containerPort }}
      protocol: TCP
    {{- end }}
  env:
    {{- include "flotilla.envList" . | nindent 4 }}
  {{- with .cfg.envFromSecrets }}
  envFrom:
    {{- range . }}
    - secretRef:
        name: {{ . }}
    {{- end }}
  {{- end }}
  {{- $p := dict "portName" (printf "%shttp" .prefix) }}
  {{- range $kind := list "startup" "liveness" "readiness" }}
  {{ $kind }}Probe:
    {{- include "flotilla.probe" (merge (dict "what" (printf "services.%s.probes.%s" $.name $kind)) $p (get $.cfg.probes $kind)) | nindent 4 }}
  {{- end }}
  resources:
    {{- toYaml .cfg.resources | nindent 4 }}
  securityContext:
    {{- toYaml .cfg.securityContext | nindent 4 }}
  volumeMounts:
    {{- include "flotilla.volumeMounts" . | nindent 4 }}
{{- end -}}
