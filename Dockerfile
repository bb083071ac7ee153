# syntax=docker/dockerfile:1
#
# One image for both apps; the command picks one:
#   node dist/apps/api/main.js      (default; listens on PORT, migrates at start under a lock)
#   node dist/apps/worker/main.js   (no HTTP server, so no HEALTHCHECK here: docker-compose.yml checks the API)
# Either runs under docker/entrypoint.sh, which supplies ADMIN_TOKEN and SECRETS_KEY when the environment does
# not: generated once into /var/lib/vigil/secrets (a volume in docker-compose.yml), so `docker compose up` needs
# no secret from anyone. A value set in the environment wins (production).
#
# Base: Debian bookworm-slim rather than Alpine. Node on glibc is a tier-1 platform, on musl only
# "experimental"; CI and most hosts run glibc too. And webhook targets are checked against private networks
# after DNS resolution: the image should resolve names with glibc's getaddrinfo, as the tests do, not with
# musl's resolver, which handles search domains and fallbacks differently. The ~50 MB more is worth that.
# Node 24, the current LTS (Node 20 reached its end of life in April 2026). package.json still accepts >= 20.19
# (require() of ES modules is on by default from there), so a host with Node 20.19+ runs the tests and the apps.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- deps: every dependency, exactly as the lock file says --------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# --ignore-scripts: no install script is needed to build, and it keeps swagger-ui's telemetry (scarf) silent.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts --no-audit --no-fund

# ---- build: webpack bundles the app code of each app to dist/apps/<app>/main.js -----------------------
FROM deps AS build
COPY . .
RUN npm run build

# ---- prod-deps: what the bundles require at run time (webpack leaves node_modules external) -----------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
# --omit=optional as well as --omit=dev: typescript, ts-node and @swc/core are optional peers of typeorm,
# so --omit=dev alone keeps them ("devOptional", ~100 MB). The other optional packages are not needed on
# Linux: msgpackr-extract only speeds up msgpackr (pure JS fallback), pg-cloudflare is for
# Cloudflare Workers, @pkgjs/parseargs is for Node < 18.11.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

# ---- runtime: dist + production node_modules + package.json, run as the unprivileged `node` user --------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# Files stay owned by root: the `node` user can read them but not change the code it runs.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
COPY package.json ./
COPY --chmod=755 docker/entrypoint.sh /usr/local/bin/vigil-entrypoint
# Owned by `node` and private: a new volume mounted here starts as a copy of this directory, owner and mode
# included, so the unprivileged apps can write their generated secrets into it.
RUN mkdir -p /var/lib/vigil/secrets && chown node:node /var/lib/vigil/secrets && chmod 700 /var/lib/vigil/secrets
USER node
EXPOSE 3000
# The entrypoint ends in `exec "$@"`; `node` directly rather than `npm run`: npm does not pass SIGTERM on,
# and Nest's shutdown hooks need it.
ENTRYPOINT ["vigil-entrypoint"]
CMD ["node", "dist/apps/api/main.js"]
