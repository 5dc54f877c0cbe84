# The dashboard (apps/web) behind an unprivileged nginx that also proxies the API:
#   docker build -f deploy/docker/web.Dockerfile -t flotilla/web .
# The Node stages (the first two are node-service.Dockerfile's, so their layers are shared) build
# the static bundle; the final image is nginx only: uid 101, listening on 8080, root filesystem
# read-only-ready (everything it writes goes to /tmp/nginx).
#
# Configuration is read at container start, never baked in: the base image's entrypoint renders
# /etc/nginx/templates/nginx/web.conf.template into /tmp/nginx/web.conf with envsubst, replacing
# only the WEB_* variables below (NGINX_ENVSUBST_FILTER), so nginx's own $variables survive.
#
# Why this image keeps a shell: the templating is the official image's shell entrypoint. A
# shell-less variant would need a compiled templating entrypoint; see docs/web.md.
#
# Built with BuildKit (DOCKER_BUILDKIT=1, for the npm cache mount and the optional build_ca secret:
# --secret id=build_ca,src=/etc/ssl/certs/ca-certificates.crt); no `# syntax=` line, so no
# frontend image is pulled. Base images are arguments pinned by version (add @sha256 digests
# where a registry is reachable); deploy/docker/base/ builds stand-ins with the same tags for CI.
ARG BUILDER_IMAGE=node:24.21.0-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.28.0-bookworm
# checkov:skip=CKV_DOCKER_7:the FROM lines name the base through the ARGs above, pinned by version

# --- manifests: only what `npm ci` reads, so source edits keep the dependency layer cached --
FROM ${BUILDER_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f \
      ! -path ./package.json ! -path ./package-lock.json ! -path ./.npmrc \
      ! -regex '\./[^/]+/[^/]+/package\.json' -delete \
 && find . -mindepth 1 -type d -empty -delete

# --- deps: the whole workspace's dependencies. Word for word node-service.Dockerfile's stage, so
# BuildKit reuses that layer: after any service image, this costs nothing. build_ca (optional
# secret): extra CA bundle behind a TLS-intercepting proxy, for this step only, never in a layer.
FROM ${BUILDER_IMAGE} AS deps
WORKDIR /src
COPY --from=manifests /src/ ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca; fi; \
    npm ci --no-audit --no-fund --loglevel=warn

# --- build: the static dashboard in apps/web/dist --------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build -w apps/web \
 && test -f apps/web/dist/index.html \
 # the CSP (script-src/style-src 'self') forbids inline code: fail the build if any slipped in
 && ! grep -Eq '<script>|<script type="module">|<style|style="' apps/web/dist/index.html

# --- final: unprivileged nginx ----------------------------------------------------------------
FROM ${NGINX_IMAGE}
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
ARG SOURCE=https://github.com/flotilla/flotilla
LABEL org.opencontainers.image.title="flotilla-web" \
      org.opencontainers.image.description="Flotilla dashboard behind nginx (proxies /stats and /hello/)" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0"
# The base's default site is replaced, not extended.
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx/nginx.conf /etc/nginx/nginx.conf
COPY deploy/nginx/templates/web.conf.template /etc/nginx/templates/nginx/web.conf.template
# Owned by root and read-only to the nginx user: it serves the files, it cannot change them.
COPY --from=build --chown=0:0 --chmod=a=rX /src/apps/web/dist/ /usr/share/nginx/html/
ENV NGINX_ENVSUBST_OUTPUT_DIR=/tmp \
    NGINX_ENVSUBST_FILTER=^WEB_ \
    WEB_PORT=8080 \
    WEB_ROOT=/usr/share/nginx/html \
    WEB_STATS_UPSTREAM=stats:8080 \
    WEB_HELLO_UPSTREAM=hello:8090 \
    WEB_STATS_URL=/stats \
    WEB_STATS_STREAM_URL=/stats/stream \
    WEB_HELLO_URL=/hello/
USER 101:101
EXPOSE 8080
# nginx finishes in-flight requests on SIGQUIT (graceful), SIGTERM drops them.
STOPSIGNAL SIGQUIT
# Exec form, with the curl the official image ships: nginx's own /healthz on the default WEB_PORT
# (override the health check together with WEB_PORT).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "--max-time", "2", "http://127.0.0.1:8080/healthz"]
