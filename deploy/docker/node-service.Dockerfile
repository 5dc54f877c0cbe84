# One image recipe for every Node.js service in the fleet:
#   docker build -f deploy/docker/node-service.Dockerfile --build-arg SERVICE=hello .
# The result is FROM scratch: the node binary, exactly the shared libraries it links, CA
# certificates, a passwd/group naming the non-root user, an empty /tmp and the service's
# esbuild bundle. No shell, no package manager, nothing writable but /tmp.
#
# Built with BuildKit (DOCKER_BUILDKIT=1, for the npm cache mount). No `# syntax=` line on
# purpose: the builder's built-in frontend is used, so no frontend image is ever pulled.
#
# Base images are arguments pinned by version; pin a digest as well where the registry is
# reachable, e.g. --build-arg BUILDER_IMAGE=node:24.21.0-bookworm-slim@sha256:<digest>.
# Keep the version in step with the root package.json devDependency "node" (CI checks it).
ARG BUILDER_IMAGE=node:24.21.0-bookworm-slim
# checkov:skip=CKV_DOCKER_7:the FROM lines name the base through the ARGs above, pinned by version

# --- manifests: only the files `npm ci` reads, so source edits keep the deps layer cached ----
FROM ${BUILDER_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f \
      ! -path ./package.json ! -path ./package-lock.json ! -path ./.npmrc \
      ! -regex '\./[^/]+/[^/]+/package\.json' -delete \
 && find . -mindepth 1 -type d -empty -delete

# --- deps: the whole workspace's dependencies, shared by every service's build -------------
FROM ${BUILDER_IMAGE} AS deps
WORKDIR /src
COPY --from=manifests /src/ ./
# build_ca (optional BuildKit secret): extra CA bundle for builders behind a TLS-intercepting
# proxy; mounted for this step only, never stored in a layer.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca; fi; \
    npm ci --no-audit --no-fund --loglevel=warn

# --- build: bundle one service with esbuild into services/$SERVICE/dist ---------------------
FROM deps AS build
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "--build-arg SERVICE=<name> is required" >&2; exit 1; }
COPY . .
RUN npm run build -w "services/${SERVICE}" \
 && test -f "services/${SERVICE}/dist/main.mjs" \
 && test -f "services/${SERVICE}/dist/healthcheck.mjs"

# --- node: the runtime binary without its symbol tables (126.6 -> 108.5 MB); nothing reads them
# at run time (the dynamic symbols native addons link against stay). Shared by every service.
# binutils is pinned to bookworm's only version (the builder is node:*-bookworm-slim).
FROM ${BUILDER_IMAGE} AS node
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
 && apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils=2.40-2 >/dev/null \
 && strip --strip-all -o /node /usr/local/bin/node \
 && /node -e 'process.exit(0)'

# --- runtime-files: the whole root filesystem of the final image, assembled under /rootfs ----
FROM ${BUILDER_IMAGE} AS runtime-files
ARG SERVICE
ARG DATA_DIR=
ARG NODE_COMPILE_CACHE=/app/.node-compile-cache
# The bundle at /app, where it runs, for the compile cache's training start below; /rootfs/app at the end.
COPY --from=build /src/services/${SERVICE}/dist/ /app/
COPY --from=node /node /rootfs/usr/local/bin/node
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# DL3001 flags `kill` as an interactive command; here it stops the compile-cache training start.
# hadolint ignore=DL3001
RUN set -eu; \
    mkdir -p /rootfs/etc/ssl/certs; \
    # native addons ship prebuilds for every libc and Node ABI (lmdb, msgpackr-extract); only
    # glibc ones for this node's ABI or N-API can ever load here, the rest is dead weight
    abi=$(node -p process.versions.modules); \
    find /app -type f -name '*.node' \( -name '*musl*' -o \( -name '*.abi[0-9]*' ! -name "*.abi${abi}.*" \) \) -delete; \
    # and their build-time files: C/C++ sources and headers, gyp files, type declarations, source
    # maps and docs (licences stay)
    if [ -d /app/node_modules ]; then \
      find /app/node_modules -type f ! -iname 'licen[cs]e*' \( -name '*.[ch]' -o -name '*.cc' -o -name '*.[ch]pp' \
        -o -name '*.gyp' -o -name '*.gypi' -o -name '*.d.ts' -o -name '*.d.[cm]ts' -o -name '*.map' -o -name '*.md' \) -delete; \
      find /app/node_modules -type d -empty -delete; \
    fi; \
    # exactly the shared libraries the loader resolves for node and any native addon bundled
    # in dist (libc, libm, libstdc++, libgcc_s, libdl, libpthread, ld-linux); none may be missing
    { echo /usr/local/bin/node; find /app -type f -name '*.node'; } | xargs -n1 ldd >/tmp/ldd.txt; \
    if grep -q 'not found' /tmp/ldd.txt; then cat /tmp/ldd.txt >&2; exit 1; fi; \
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' /tmp/ldd.txt | sort -u \
      | while read -r lib; do cp --parents -L "$lib" /rootfs/; done; \
    cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/; \
    # root and the app user, neither with a usable shell or a home
    printf 'root:x:0:0:root:/nonexistent:/sbin/nologin\napp:x:65532:65532:app:/nonexistent:/sbin/nologin\n' >/rootfs/etc/passwd; \
    printf 'root:x:0:\napp:x:65532:\n' >/rootfs/etc/group; \
    mkdir -m 1777 /rootfs/tmp; \
    # DATA_DIR (optional): the mount point of a data volume, owned by the app user, so an empty
    # named volume mounted there starts out writable by it (Docker copies the ownership)
    if [ -n "${DATA_DIR}" ]; then install -d -m 0700 -o 65532 -g 65532 "/rootfs${DATA_DIR}"; fi; \
    # Node's module compile cache (V8's code for the bundle as compiled during a start): made by
    # one start to ready of the service on its embedded defaults, by the image's node, as the
    # image's user and with the bundle at /app (the cache is keyed by path and uid); read-only at
    # run time (npm run bench: start to ready and its CPU time with and without it). Not in the
    # chroot: a service may need /proc (stats), which a build step cannot mount.
    install -d -o 65532 -g 65532 "${NODE_COMPILE_CACHE}"; \
    env -i NODE_ENV=production TMPDIR=/tmp NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE}" \
      /usr/bin/setpriv --reuid=65532 --regid=65532 --clear-groups /rootfs/usr/local/bin/node /app/main.mjs >/tmp/warm.log 2>&1 & warm=$!; \
    ready=0; for _ in $(seq 1 150); do if /rootfs/usr/local/bin/node /app/healthcheck.mjs; then ready=1; break; fi; sleep 0.2; done; \
    kill -TERM "$warm" 2>/dev/null || true; wait "$warm" && [ "$ready" = 1 ] || { cat /tmp/warm.log >&2; exit 1; }; \
    test -n "$(find "${NODE_COMPILE_CACHE}" -type f)" || { echo "no compile cache was written" >&2; exit 1; }; \
    cp -a /app /rootfs/app; chown -R 0:0 /rootfs/app; chmod -R a+rX,go-w /rootfs/app; \
    # proves the assembled set is self-sufficient: node runs with /rootfs as its whole world
    chroot /rootfs /usr/local/bin/node -e 'process.exit(0)'

# --- final: scratch ------------------------------------------------------------------------
FROM scratch
ARG SERVICE
ARG PORT=8090
# EXPOSE_ALSO (optional): further ports the service listens on, e.g. gRPC beside the HTTP PORT
ARG EXPOSE_ALSO=
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
ARG SOURCE=https://github.com/flotilla/flotilla
ARG LICENSES=Apache-2.0
LABEL org.opencontainers.image.title="flotilla-${SERVICE}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="${LICENSES}"
COPY --from=runtime-files /rootfs/ /
ARG NODE_COMPILE_CACHE=/app/.node-compile-cache
ENV NODE_ENV=production \
    PORT=${PORT} \
    TMPDIR=/tmp \
    NODE_COMPILE_CACHE=${NODE_COMPILE_CACHE}
WORKDIR /app
USER 65532:65532
EXPOSE ${PORT} ${EXPOSE_ALSO}
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/node", "/app/healthcheck.mjs"]
ENTRYPOINT ["/usr/local/bin/node", "/app/main.mjs"]
