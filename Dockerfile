# syntax=docker/dockerfile:1
# Allot: the server and its web UI in one image. Build: docker build -t allot .
# Run (embedded SQLite in the /data volume):
#   docker run -p 3000:3000 -v allot-data:/data -e AUTH_SECRET="$(openssl rand -base64 48)" allot
# With PostgreSQL: compose.yaml beside this file.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/client/package.json packages/client/
COPY packages/demo-product/package.json packages/demo-product/
COPY packages/contract/package.json packages/contract/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY web web
COPY packages packages
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN groupadd --system --gid 10001 allot \
 && useradd --system --uid 10001 --gid allot --home-dir /app --shell /usr/sbin/nologin allot \
 && mkdir /data && chown allot:allot /data \
 && printf '#!/bin/sh\nexec node /app/dist/cli/bin.js "$@"\n' > /usr/local/bin/allot && chmod 755 /usr/local/bin/allot
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
# node_modules/@allot/contract links here: the schemas the server validates with.
COPY --from=build /app/packages/contract/package.json packages/contract/package.json
COPY --from=build /app/packages/contract/dist packages/contract/dist
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
USER allot
VOLUME ["/data"]
EXPOSE 3000
# Ready means: the database answers and is migrated (GET /readyz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/main.js"]
