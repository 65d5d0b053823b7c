# realmgate: build stage compiles TypeScript and generates the Prisma client; the run stage holds
# only what the service needs and reaches no network at run time (migrations ship as SQL files).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
# the workspaces' manifests, so that npm ci links them (the client is a dependency of the CLI)
COPY packages/client/package.json ./packages/client/package.json
COPY packages/console/package.json ./packages/console/package.json
COPY examples/express-app/package.json ./examples/express-app/package.json
# Dependencies' install scripts are skipped: Prisma's would fetch engine binaries from outside the
# npm registry, and realmgate needs none of them (driver adapters; client generated below).
RUN npm ci --ignore-scripts
# fs-ext (flock(2) on the data folder) is a native addon, compiled here from its sources
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/* && npm rebuild fs-ext
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY src ./src
COPY packages/client ./packages/client
COPY packages/console ./packages/console
RUN npm run generate && npm run build && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=8181 \
    HOST=127.0.0.1 \
    REALMGATE_DATA_DIR=/var/lib/realmgate
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# @realmgate/client, which the realmgate CLI uses (node_modules links to it)
COPY --from=build /app/packages/client/package.json ./packages/client/package.json
COPY --from=build /app/packages/client/dist ./packages/client/dist
# the web console's built files, served at /console (REALMGATE_CONSOLE=false turns it off)
COPY --from=build /app/packages/console/dist ./packages/console/dist
COPY policies ./policies
COPY prisma/migrations ./prisma/migrations
COPY openapi.yaml ./openapi.yaml
COPY proto ./proto
RUN mkdir -p /var/lib/realmgate && chown node:node /var/lib/realmgate
USER node
VOLUME ["/var/lib/realmgate"]
EXPOSE 8181
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8181)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
