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

{{/* One probe: httpGet on the named port, or gRPC health when grpcService is set. */}}
{{- define "flotilla.probe" -}}
{{- if hasKey . "grpcService" -}}
grpc:
  port: {{ .port }}
  service: {{ .grpcService | quote }}
{{- else -}}
httpGet:
  path: {{ .path }}
  port: http
{{- end }}
{{- range $k := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "failureThreshold" "successThreshold" }}
{{- if hasKey $ $k }}
{{ $k }}: {{ get $ $k }}
{{- end }}
{{- end }}
{{- end -}}
