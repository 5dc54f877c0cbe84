# The naive image, kept only as the yardstick the container tier measures
# node-service.Dockerfile against: one stage on the full builder image, the whole repository,
# every dependency (dev ones included), run from source by npm as root, with a shell and
# a package manager inside. Do not ship this.
ARG BUILDER_IMAGE=node:24.21.0-bookworm-slim
FROM ${BUILDER_IMAGE}
ARG SERVICE=hello
WORKDIR /app
COPY . .
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca; fi; \
    npm ci --no-audit --no-fund --loglevel=warn
ENV SERVICE=${SERVICE}
EXPOSE 8090
CMD ["sh", "-c", "exec npm start -w \"services/$SERVICE\""]
