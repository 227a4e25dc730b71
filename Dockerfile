# syntax=docker/dockerfile:1
# todo-chatbot: one image for every role. The backend container runs `serve-api` (the default), the frontend
# container runs `serve-web`, a one-shot job runs `migrate`; `serve` runs both in one process for local use.
#
#   docker build -t todo-chatbot .
#   docker run --rm -p 3000:3000 -v todo-data:/app/data todo-chatbot serve
#
# Base images are build arguments, so they can be pinned by digest:
#   docker build --build-arg SWIFT_IMAGE=swift:6.3-bookworm@sha256:… --build-arg RUNTIME_IMAGE=debian:bookworm-slim@sha256:… .
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
# Build stage: the Swift toolchain compiles a release binary with the Swift runtime linked in statically.
FROM ${SWIFT_IMAGE} AS build

# Headers the build links against: zlib (gzip of the web assets). python3 and binutils trim ICU's data (below);
# ca-certificates gives the CA bundle the runtime stage copies.
# DL3008 (pin apt versions) is ignored on purpose: Debian's mirror keeps only the current, security-patched
# version of each package, so a pinned version would stop building at its next update.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends zlib1g-dev python3 binutils ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# Static Foundation embeds ICU's data for all ~800 locales (34 MB, a third of the binary); the server needs root
# and English, time zones, normalization and plural rules (5 MB). Swap the data member of the toolchain's static ICU
# archive, in this throwaway stage only, for a trimmed copy; scripts/icu-trim.py says what is kept and why.
COPY scripts/icu-trim.py /tmp/icu/icu-trim.py
RUN icu="$(dirname "$(command -v swift)")/../lib/swift_static/linux/lib_FoundationICU.a" \
    && python3 /tmp/icu/icu-trim.py "$icu" /tmp/icu \
    && clang -c /tmp/icu/icudata.S -o /tmp/icu/icu_packaged_data.cpp.o \
    && ar r "$icu" /tmp/icu/icu_packaged_data.cpp.o

WORKDIR /build

# The manifest alone first: resolving packages is cached until Package.swift changes.
COPY Package.swift ./
RUN swift package resolve

# Then the sources (Tests holds target folders the manifest names; nothing from it is built here).
COPY Sources ./Sources
COPY Tests ./Tests

# A static Swift standard library, stripped; the resource bundle (the web UI) and the backtracer go beside it.
# scripts/build-release.sh holds the compiler and linker flags (the benchmarks build the same binary) and says why.
COPY scripts/build-release.sh scripts/link-order.txt ./scripts/
RUN scripts/build-release.sh \
    && bin="$(scripts/build-release.sh --show-bin-path)" \
    && mkdir -p /staging \
    && cp "$bin/todo-chatbot" /staging/ \
    && cp -R "$bin"/*.resources /staging/ \
    && strip /staging/todo-chatbot \
    && cp "$(dirname "$(command -v swift)")/../libexec/swift/linux/swift-backtrace-static" /staging/swift-backtrace \
    && strip /staging/swift-backtrace

COPY entrypoint.sh /staging/entrypoint.sh

# ---------------------------------------------------------------------------------------------------------------
# Runtime stage: Debian slim with only what the binary loads at run time.
FROM ${RUNTIME_IMAGE}

ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown

LABEL org.opencontainers.image.title="todo-chatbot" \
      org.opencontainers.image.description="Todo AI chatbot: API, chat web UI, MCP server and migrations in one Swift binary" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/todo-chatbot/todo-chatbot"

# tzdata: users' time zones ("tomorrow" in Berlin). The CA bundle (TLS to Neon and to the model server) is copied
# from the build stage instead of installing ca-certificates, which would pull in openssl and libssl (7 MB) that the
# binary does not use: it carries its own TLS library. libstdc++6, libgcc-s1 and zlib1g are already in the base image.
# A system user with a fixed uid and no login shell; /app/data is the only writable place (the embedded store).
# DL3008 is ignored for the reason given in the build stage.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app/data --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/data \
    && chown 10001:10001 /app/data \
    && chmod 0700 /app/data

COPY --from=build --chown=root:root --chmod=0444 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt

# The application belongs to root and cannot be changed by the user it runs as.
COPY --from=build --chown=root:root --chmod=0555 /staging/ /app/

WORKDIR /app
USER 10001:10001

# Listen on every interface inside the container; the embedded default store lives in the volume.
ENV HOST=0.0.0.0 \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace

VOLUME ["/app/data"]
EXPOSE 8000 3000
STOPSIGNAL SIGTERM

# The binary checks the role that runs (the entrypoint sets ROLE), so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/app/todo-chatbot", "healthcheck"]

ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["serve-api"]
