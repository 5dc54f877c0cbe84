{{/*
The effective configuration of each service, which every per-kind template ranges over:
"flotilla.units" lists the enabled services (block deep-merged over serviceDefaults) plus a
"<service>-backend" unit for a backend run as its own StatefulSet; the rest derive what several
kinds share from one config (backend, env, Secret, client labels, addresses of other services).
*/}}

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

{{/* Label a client Pod carries to pass a service's NetworkPolicy. ctx: dict root name */}}
{{- define "flotilla.clientLabel" -}}
{{ include "flotilla.svcName" . }}-client
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
