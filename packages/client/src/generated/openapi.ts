// Generated from openapi.yaml by `npm run generate -w @realmgate/client`. Do not edit.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness; 200 as soon as the process serves HTTP.
         * @description Also on the probe listener (REALMGATE_PROBE_PORT), without a token.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness; 200 only once the policy is loaded.
         * @description 503 while loading, while lagging more than REALMGATE_READY_MAX_LAG revisions, and with
         *     reason `shutting_down` from the moment the process receives SIGTERM or SIGINT (the probe
         *     listener keeps answering until the process exits). Also on the probe listener
         *     (REALMGATE_PROBE_PORT), without a token.
         */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus text exposition.
         * @description prom-client's exposition: realmgate_* series (decision-time and write-time histograms,
         *     decisions by reason, HTTP requests by route template, revision/head/lag gauges, build info)
         *     and the default process_* and nodejs_* series. Also on the probe listener
         *     (REALMGATE_PROBE_PORT), without a token.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** May this subject do this permission in this org (or at realm level)? */
        post: operations["check"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/check/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Up to 1000 checks, answered in order, all at the same revision. */
        post: operations["checkBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/users/{user}/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a user may do in an org (or at realm level without `org`), directly and through roles. */
        get: operations["effectivePermissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/orgs/{org}/subjects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The users of an org for whom a check of this permission would be allowed now. */
        get: operations["subjectsWithPermission"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        /** A realm's counts and roles. */
        get: operations["getRealm"];
        /** Create a realm (idempotent). */
        put: operations["putRealm"];
        post?: never;
        /** Delete a realm and everything in it. */
        delete: operations["deleteRealm"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/orgs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The realm's orgs, by name, page by page. */
        get: operations["listOrgs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The realm's users with their states, by name, page by page. */
        get: operations["listUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/orgs/{org}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        get?: never;
        /** Create an org (idempotent). */
        put: operations["putOrg"];
        post?: never;
        /** Delete an org and every membership in it. */
        delete: operations["deleteOrg"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/users/{user}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        get?: never;
        /** Create a user or set its state. A disabled user is denied everything; memberships stay. */
        put: operations["putUser"];
        post?: never;
        /** Delete a user and all of the user's memberships in the realm. */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/roles/{role}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                role: components["schemas"]["Name"];
            };
            cookie?: never;
        };
        get?: never;
        /** Define or redefine a realm-wide role (the org template); one write reaches every org. */
        put: operations["putRole"];
        post?: never;
        /** Delete a role that no membership holds. */
        delete: operations["deleteRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/users/{user}/memberships": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The stored membership records of a user. */
        get: operations["listMemberships"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/users/{user}/memberships/{org}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        get?: never;
        /** Create or replace the user's membership in an org. The user and org are created if missing. */
        put: operations["putOrgMembership"];
        post?: never;
        /** Remove the user's membership in an org. */
        delete: operations["deleteOrgMembership"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/users/{user}/membership": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        get?: never;
        /** Create or replace the user's realm-level (org-less) membership. */
        put: operations["putRealmMembership"];
        post?: never;
        /** Remove the user's realm-level membership. */
        delete: operations["deleteRealmMembership"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/memberships/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upsert and delete memberships atomically, as one change. One bad item writes nothing. */
        post: operations["membershipBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/memberships": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The realm's stored memberships, by user then org (realm-level first), page by page. */
        get: operations["listRealmMemberships"];
        /**
         * Reconcile the memberships of the whole realm, or of one org with `?org=`, to exactly the
         *     given set, atomically: missing ones are created, different ones replaced, others deleted.
         */
        put: operations["syncMemberships"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The realm's events, oldest first, after a revision: the same events webhooks deliver.
         *     Subscribers poll with `after` set to the last `next`; expired memberships appear as
         *     `membership.deleted` with reason `expired`. With `Accept: text/event-stream` the answer is
         *     a live stream of Server-Sent Events instead (`id:` the event id, `event:` its type, `data:`
         *     the event; a `: heartbeat` comment when quiet), resumable with `Last-Event-ID`. When the
         *     start lies before what the log keeps, the stream sends one `error` event (the body of the
         *     410) and closes.
         */
        get: operations["listChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        /** The realm's tokens, oldest first, without their secrets; expired ones stay listed until revoked. */
        get: operations["listTokens"];
        put?: never;
        /**
         * Create a realm token. The secret (`rgt_` and 43 base64url characters) is in this answer
         *     only; realmgate keeps its SHA-256. Every sidecar of a fleet accepts it once it has applied
         *     this change.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: string;
            };
            cookie?: never;
        };
        /** One token, without its secret. */
        get: operations["getToken"];
        put?: never;
        post?: never;
        /**
         * Revoke a token: refused from this answer on by this sidecar, and by every other sidecar of
         *     the fleet once it has applied the returned `revision` (within REALMGATE_POLL_MS even if a
         *     notification is lost).
         */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        /** The realm's webhooks (never their secrets). */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Subscribes a URL to the realm's events from now on. Deliveries follow the Standard
         *     Webhooks specification. The answer holds the signing secret; no other answer does.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        /** One webhook (never its secret). */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Removes a webhook and its deliveries. */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Changes a webhook's URL, events, description or state. Enabling a disabled webhook starts
         *     it at the current revision: events from while it was disabled are not sent.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/v1/realms/{realm}/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new signing secret, shown in this answer only. The old one stays valid for 24 hours:
         *     meanwhile every delivery is signed with both (two space-separated signatures).
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        /** A webhook's deliveries, newest first; failed ones (every attempt used) stay until retried. */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/realms/{realm}/webhooks/{id}/deliveries/{deliveryId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
                deliveryId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queues a delivery again, due now, with the retry schedule started over (sent once the webhook is enabled). */
        post: operations["retryDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A digest of this sidecar's in-memory state: a SHA-256 over every served realm's orgs, users
         *     and states, and each membership's expiry and effective grants. Sidecars at the same
         *     revision serving the same realms must report the same digest.
         */
        get: operations["stateDigest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the bearer token acts as, in which realm and with which scopes.
         * @description Any token that authenticates may ask, whatever its realm and scope. `scopes` lists every
         *     scope the token holds, the ones its widest scope includes among them; the admin token holds
         *     all of them in every realm.
         */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The web console, an HTML page (and its files under /console/).
         * @description Served when REALMGATE_CONSOLE is not `false` (404 `not_found` when it is). Every other GET
         *     under `/console/` answers the same page (the console's own views), except a missing file
         *     under `/console/assets/`, a 404. The page needs no token to load; it signs in with one and
         *     calls the API with it. Sent with `Content-Security-Policy` allowing this origin only,
         *     `X-Content-Type-Options: nosniff` and `frame-ancestors 'none'`.
         */
        get: operations["console"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ext-authz/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        /**
         * Envoy's HTTP external authorization (ext_authz); any method, the original request's.
         * @description On when REALMGATE_EXT_AUTHZ_CONFIG names a routes file (otherwise 404). Envoy sends the
         *     original method, `/ext-authz` + the original path, and the headers the file names: the
         *     verified subject (`subjectHeader`, e.g. `x-jwt-sub` set by Envoy's jwt_authn) and any header
         *     a route takes the org or realm from. The first route whose method and path pattern match
         *     names the permission and where the org comes from; the decision is a check like
         *     `POST /v1/check`, from memory. The same operation exists for HEAD, POST, PUT, PATCH, DELETE
         *     and OPTIONS. No bearer token: like checks, it is meant for the local proxy on loopback.
         */
        get: operations["extAuthzGet"];
        /** As GET /ext-authz/{path}, for a PUT request. */
        put: operations["extAuthzPut"];
        /** As GET /ext-authz/{path}, for a POST request. */
        post: operations["extAuthzPost"];
        /** As GET /ext-authz/{path}, for a DELETE request. */
        delete: operations["extAuthzDelete"];
        /** As GET /ext-authz/{path}, for a OPTIONS request. */
        options: operations["extAuthzOptions"];
        /** As GET /ext-authz/{path}, for a HEAD request. */
        head: operations["extAuthzHead"];
        /** As GET /ext-authz/{path}, for a PATCH request. */
        patch: operations["extAuthzPatch"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        WrittenBody: {
            revision: components["schemas"]["Revision"];
        };
        RoleWrittenBody: {
            revision: components["schemas"]["Revision"];
            created: boolean;
            role: components["schemas"]["Name"];
            permissions: components["schemas"]["Tags"];
        };
        BatchWrittenBody: {
            revision: components["schemas"]["Revision"];
            upserted: number;
            deleted: number;
            unchanged: number;
        };
        EffectEntry: {
            user: components["schemas"]["UserId"];
            /** @description null for the realm-level (org-less) membership */
            org: string | null;
            permission: components["schemas"]["Tag"];
        };
        /** @description What a write would do, computed from memory at `revision`; nothing written. An effective tag is one a check would honour: a disabled user, or an expired or missing membership, has none. Tags are compared as granted, so a wildcard gained is listed as the wildcard (`orders:*`). */
        DryRunResult: {
            /** @enum {boolean} */
            dryRun: true;
            revision: components["schemas"]["Revision"];
            /** @description records (memberships, roles, users, orgs) it would create, replace or delete */
            changes: {
                created: number;
                updated: number;
                deleted: number;
            };
            effect: {
                /** @description (user, org, tag) it would add, sorted; at most `limit` */
                granted: components["schemas"]["EffectEntry"][];
                /** @description (user, org, tag) it would take away, sorted; at most `limit` */
                revoked: components["schemas"]["EffectEntry"][];
                grantedCount: number;
                revokedCount: number;
            };
            /** @description true when either list was cut to `limit` */
            truncated: boolean;
        };
        /** @description a realm, org or role name */
        Name: string;
        UserId: string;
        /** @description a permission tag; stored and compared in lower case. In a granted tag, `*` stands for one or more characters other than `:` `.` `;`. */
        Tag: string;
        Tags: components["schemas"]["Tag"][];
        Revision: number;
        /** @enum {string} */
        UserState: "active" | "disabled";
        Error: {
            error: {
                /**
                 * @description what went wrong, one of a fixed list (README's error table says what each means)
                 * @enum {string}
                 */
                code: "invalid_request" | "malformed_json" | "unauthorized" | "forbidden" | "not_found" | "realm_not_found" | "org_not_found" | "user_not_found" | "role_not_found" | "membership_not_found" | "token_not_found" | "webhook_not_found" | "delivery_not_found" | "method_not_allowed" | "misdirected_request" | "role_in_use" | "realm_not_served" | "compacted" | "precondition_failed" | "payload_too_large" | "unsupported_media_type" | "unknown_role" | "internal" | "not_ready" | "stale" | "write_unavailable" | "database_unavailable";
                message: string;
                field?: string;
                /** @description present (true) when the same request, sent again later, can succeed */
                retryable?: boolean;
                memberships?: number;
                /** @description with `stale`, the revision local state stands at; with `precondition_failed`, the record's current revision */
                revision?: components["schemas"]["Revision"];
            };
        };
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        Readiness: {
            ready: boolean;
            /**
             * @description why the sidecar is not ready (`shutting_down` from the moment it receives SIGTERM or SIGINT)
             * @enum {string}
             */
            reason?: "loading" | "lagging" | "shutting_down" | "database_unreachable";
            /** @description with `database_unreachable`, the last connection error (without credentials) */
            error?: string;
            /** @description with `database_unreachable`, how many start-up attempts have failed so far */
            attempts?: number;
            /** @description the revision of local state */
            revision?: components["schemas"]["Revision"];
            /** @description the newest revision this sidecar knows the database to hold */
            head?: components["schemas"]["Revision"];
            /** @description revisions committed and not yet applied here; ready only while at most REALMGATE_READY_MAX_LAG */
            lag?: number;
            /** @description whether change notifications are being received */
            listening?: boolean;
            /** @description the realms this sidecar serves (REALMGATE_REALMS); null for all */
            realms?: components["schemas"]["Name"][] | null;
            /** @enum {string} */
            backend?: "pglite" | "postgres";
        };
        CheckRequest: {
            /** @description defaults to REALMGATE_DEFAULT_REALM */
            realm?: components["schemas"]["Name"];
            subject: components["schemas"]["UserId"];
            /** @description the org; leave out (or null) for a realm-level check */
            org?: string | null;
            /** @description literal; a `*` in it is a plain character and never widens access */
            permission: components["schemas"]["Tag"];
            /** @description answer only once local state has reached this revision (the `revision` a write answered with, on any sidecar); waits up to REALMGATE_MAX_WAIT_MS, then 503 `stale` */
            atLeast?: components["schemas"]["Revision"];
        };
        GrantMatch: {
            realm: components["schemas"]["Name"];
            user: components["schemas"]["UserId"];
            org: string | null;
            /** @description the role the grant came through; null for a direct grant */
            role: string | null;
            grant: components["schemas"]["Tag"];
        };
        ExtAuthzDecision: {
            allowed: boolean;
            /**
             * @description `granted`; `no_route` (no route matched: denied, or allowed with `defaultAction: allow`); `missing_subject` (401), `missing_realm`, `missing_org` (a header the route needs is absent or empty); `malformed_path` (dot or empty segments, encoded `/`, `\` or `.`); otherwise the reason a check gives
             * @enum {string}
             */
            reason: "granted" | "no_route" | "missing_subject" | "missing_realm" | "missing_org" | "malformed_path" | "unknown_realm" | "unknown_user" | "user_disabled" | "unknown_org" | "no_membership" | "expired" | "no_grant";
            revision: components["schemas"]["Revision"];
        };
        CheckResult: {
            allowed: boolean;
            /** @enum {string} */
            reason: "granted" | "unknown_realm" | "unknown_user" | "user_disabled" | "unknown_org" | "no_membership" | "expired" | "no_grant";
            match?: components["schemas"]["GrantMatch"];
            revision: components["schemas"]["Revision"];
            /**
             * Format: uuid
             * @description present while the decision log is on (REALMGATE_DECISION_LOG); the id of this decision in the log
             */
            decisionId?: string;
        };
        EffectivePermissions: {
            realm: components["schemas"]["Name"];
            user: components["schemas"]["UserId"];
            org: string | null;
            state: components["schemas"]["UserState"];
            roles: components["schemas"]["Name"][];
            direct: components["schemas"]["Tag"][];
            /** @description every tag granted, directly or through roles, sorted */
            permissions: components["schemas"]["Tag"][];
            byRole: {
                [key: string]: components["schemas"]["Tag"][];
            };
            /** Format: date-time */
            expiresAt: string | null;
            effective: boolean;
            /** @enum {string} */
            reason: "granted" | "user_disabled" | "no_membership" | "expired";
            revision: components["schemas"]["Revision"];
        };
        Subjects: {
            realm: components["schemas"]["Name"];
            org: components["schemas"]["Name"];
            permission: components["schemas"]["Tag"];
            subjects: {
                user: components["schemas"]["UserId"];
                role: string | null;
                grant: components["schemas"]["Tag"];
            }[];
            revision: components["schemas"]["Revision"];
        };
        MembershipBody: {
            roles?: components["schemas"]["Name"][];
            permissions?: components["schemas"]["Tags"];
            /**
             * Format: date-time
             * @description from this instant on, checks deny with `expired`; the membership is then deleted
             */
            expiresAt?: string | null;
        };
        MembershipKey: {
            user: components["schemas"]["UserId"];
            /** @description leave out (or null) for the realm-level membership */
            org?: string | null;
        };
        MembershipItem: {
            user: components["schemas"]["UserId"];
            /** @description leave out (or null) for the realm-level membership */
            org?: string | null;
            roles?: components["schemas"]["Name"][];
            permissions?: components["schemas"]["Tags"];
            /** Format: date-time */
            expiresAt?: string | null;
        };
        Membership: {
            realm: components["schemas"]["Name"];
            user: components["schemas"]["UserId"];
            org: string | null;
            roles: components["schemas"]["Name"][];
            permissions: components["schemas"]["Tags"];
            /** Format: date-time */
            expiresAt: string | null;
            /** @description the revision that last wrote this membership */
            revision: components["schemas"]["Revision"];
        };
        /**
         * @description each includes the ones before it; `admin` also manages the realm's tokens (and webhooks)
         * @enum {string}
         */
        Scope: "check" | "read" | "write" | "admin";
        TokenRequest: {
            /** @description what the token is for, for people reading the list */
            name: string;
            scopes: components["schemas"]["Scope"][];
            /**
             * Format: date-time
             * @description from this instant on the token is refused (401); must lie in the future
             */
            expiresAt?: string | null;
        };
        Token: {
            /** Format: uuid */
            id: string;
            name: string;
            scopes: components["schemas"]["Scope"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
        };
        CreatedToken: components["schemas"]["Token"] & {
            /** @description the secret, shown this once */
            token: string;
        };
        Whoami: {
            /** @enum {string} */
            kind: "admin" | "realm";
            /** @description a realm token's realm; absent for the admin token, which acts in every realm */
            realm?: components["schemas"]["Name"];
            scopes: components["schemas"]["Scope"][];
            /**
             * Format: uuid
             * @description a realm token's id
             */
            tokenId?: string;
            /** @description a realm token's name */
            name?: string;
            /**
             * Format: date-time
             * @description when a realm token stops working
             */
            expiresAt?: string | null;
        };
        RealmSummary: {
            realm: components["schemas"]["Name"];
            /** Format: date-time */
            createdAt: string;
            orgs: number;
            users: number;
            memberships: number;
            roles: {
                name: components["schemas"]["Name"];
                permissions: components["schemas"]["Tags"];
            }[];
            revision: components["schemas"]["Revision"];
        };
        /** @description One event of a committed change; webhooks deliver the same object as their body. Changes logged before these events existed read as `updated` without `previous`. */
        Event: {
            /** @description `<revision>.<n>`, n counting the change's events from 1: stable and unique */
            id: string;
            type: components["schemas"]["EventType"];
            realm: components["schemas"]["Name"];
            revision: components["schemas"]["Revision"];
            /** Format: date-time */
            occurredAt: string;
            /** @description the record after the change (for a deletion, as it was): `{realm}`, `{realm, org}`, `{realm, user, state}`, `{realm, role, permissions}` or `{realm, user, org, roles, permissions, expiresAt}`; a `membership.deleted` also has `reason` */
            data: {
                reason?: components["schemas"]["DeletionReason"];
            } & {
                [key: string]: unknown;
            };
            /** @description an `updated` event's record before the change */
            previous?: {
                [key: string]: unknown;
            };
        };
        /** @enum {string} */
        EventType: "realm.created" | "realm.deleted" | "org.created" | "org.deleted" | "user.created" | "user.updated" | "user.deleted" | "role.created" | "role.updated" | "role.deleted" | "membership.created" | "membership.updated" | "membership.deleted";
        /**
         * @description why a membership was deleted; the *_deleted reasons mean it went with its user, org or realm
         * @enum {string}
         */
        DeletionReason: "api" | "sync" | "expired" | "user_deleted" | "org_deleted" | "realm_deleted";
        /** @description exact event types, a family such as `membership.*`, or `*` (every event) */
        EventFilter: string[];
        Webhook: {
            id: components["schemas"]["WebhookId"];
            realm: components["schemas"]["Name"];
            url: string;
            events: string[];
            description: string | null;
            /** @description false after the receiver answered 410 Gone, or when set so */
            enabled: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description a Webhook, with its secret */
        WebhookCreated: {
            id: components["schemas"]["WebhookId"];
            realm: components["schemas"]["Name"];
            url: string;
            events: string[];
            description: string | null;
            enabled: boolean;
            secret: components["schemas"]["WebhookSecret"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description the signing secret, `whsec_` + base64; shown in this answer only */
        WebhookSecret: string;
        WebhookId: string;
        Delivery: {
            id: string;
            webhookId: components["schemas"]["WebhookId"];
            eventId: string;
            eventType: components["schemas"]["EventType"];
            revision: components["schemas"]["Revision"];
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            /** @description attempts made since the delivery was queued (or last retried by hand) */
            attempts: number;
            /** @description the receiver's last answer; null when it gave none (timeout, refused) */
            lastStatusCode: number | null;
            lastError: string | null;
            /** Format: date-time */
            lastAttemptAt: string | null;
            /**
             * Format: date-time
             * @description when a pending delivery is tried next
             */
            nextAttemptAt: string | null;
            /** Format: date-time */
            deliveredAt: string | null;
            /** Format: date-time */
            createdAt: string;
            event: components["schemas"]["Event"];
        };
    };
    responses: {
        /** @description committed */
        Written: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    revision: components["schemas"]["Revision"];
                };
            };
        };
        /** @description 201 when created, 200 when it already existed */
        Created: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    revision: components["schemas"]["Revision"];
                    created: boolean;
                };
            };
        };
        /** @description 201 when created, 200 when updated or unchanged */
        UserWritten: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    revision: components["schemas"]["Revision"];
                    created: boolean;
                    user: components["schemas"]["UserId"];
                    state: components["schemas"]["UserState"];
                };
            };
        };
        /** @description 201 when created, 200 when replaced or unchanged */
        RoleWritten: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    revision: components["schemas"]["Revision"];
                    created: boolean;
                    role: components["schemas"]["Name"];
                    permissions: components["schemas"]["Tags"];
                };
            };
        };
        /** @description 201 when created, 200 when replaced or unchanged */
        MembershipWritten: {
            headers: {
                /** @description the membership's revision, quoted, for If-Match */
                ETag?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    revision: components["schemas"]["Revision"];
                    created: boolean;
                    membership: components["schemas"]["Membership"];
                };
            };
        };
        /** @description committed as one change */
        BatchWritten: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    revision: components["schemas"]["Revision"];
                    upserted: number;
                    deleted: number;
                    unchanged: number;
                };
            };
        };
        /** @description the request may go on. The headers are for Envoy to set on the request it forwards (`allowed_upstream_headers: x-realmgate-*`); x-realmgate-* headers this answer does not set are listed in `x-envoy-auth-headers-to-remove`, so a client cannot pass its own */
        ExtAuthzAllowed: {
            headers: {
                /** @description the verified subject */
                "x-realmgate-subject"?: string;
                /** @description the realm checked */
                "x-realmgate-realm"?: string;
                /** @description the org checked; absent for a realm-level check */
                "x-realmgate-org"?: string;
                /** @description the permission the route requires */
                "x-realmgate-permission"?: string;
                /** @description the policy revision of the decision */
                "x-realmgate-revision"?: string;
                /** @description `granted`, or `no_route` when allowed by `defaultAction: allow` */
                "x-realmgate-reason"?: string;
                /** @description comma-separated x-realmgate-* headers to strip from the request */
                "x-envoy-auth-headers-to-remove"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ExtAuthzDecision"];
            };
        };
        /** @description the matched route needs a subject and the subject header is absent or empty (`missing_subject`) */
        ExtAuthzUnauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ExtAuthzDecision"];
            };
        };
        /** @description denied, with the reason; Envoy answers the client with this status and body */
        ExtAuthzDenied: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ExtAuthzDecision"];
            };
        };
        /** @description invalid input (malformed JSON included); `field` names the offender */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description no bearer token, or one that is unknown, revoked or expired (with `WWW-Authenticate`) */
        Unauthorized: {
            headers: {
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description a token without the scope the operation needs, of another realm, or a realm token on a route for the admin token only */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description unknown realm, org, user, role or membership */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the change conflicts with current records */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description body over REALMGATE_MAX_BODY_BYTES */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description a body that is not application/json */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description a membership names a role that does not exist in the realm */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description If-Match named a revision the membership is not at (or the membership does not exist); nothing was written */
        PreconditionFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the policy is still loading (not_ready), or local state did not reach `atLeast` within REALMGATE_MAX_WAIT_MS (stale, with the local `revision`) */
        NotReadyOrStale: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the Host header names a host this listener does not answer for (misdirected_request): on loopback, only localhost, 127.0.0.1, [::1] and REALMGATE_ALLOWED_HOSTS are; this stops DNS rebinding. Never over REALMGATE_SOCKET. */
        MisdirectedRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description the policy is still loading (not_ready), or a write could not be stored and wrote nothing (write_unavailable: the data folder's disk is nearly full, the database connection was lost, or the transaction timed out), or a read lost its database connection (database_unavailable); all with `retryable: true` */
        NotReady: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description the `next` of the previous page; leave out for the first page */
        ListCursor: string;
        /** @description at most this many entries in the page */
        ListLimit: number;
        /** @description `true`: answer what the write would do (records created, updated, deleted; effective permissions granted and revoked) and write nothing. Validated as the write is: a write that would be a 4xx is the same 4xx. */
        DryRun: boolean;
        /** @description with `dryRun=true`, how many entries each of `granted` and `revoked` lists at most */
        DryRunLimit: number;
        /** @description optimistic concurrency: write only if the membership is at this revision (its `revision`, or the ETag a write answered with); `*` only if it exists. 412 otherwise. */
        IfMatch: string;
        WebhookId: components["schemas"]["WebhookId"];
        Realm: components["schemas"]["Name"];
        Org: components["schemas"]["Name"];
        User: components["schemas"]["UserId"];
    };
    requestBodies: never;
    headers: {
        /**
         * @description The request's id: the X-Request-Id it was sent with, when that is 1 to 128 characters of
         *     A-Za-z0-9._:+/=-, or else a new UUID. Present on every response; logged as `reqId`.
         */
        RequestId: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description alive */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            421: components["responses"]["MisdirectedRequest"];
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ready */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            421: components["responses"]["MisdirectedRequest"];
            /** @description still loading, lagging, shutting down, or waiting for an unreachable database (with the last error) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description metrics */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            421: components["responses"]["MisdirectedRequest"];
        };
    };
    check: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckRequest"];
            };
        };
        responses: {
            /** @description the decision; unknown realms, users and orgs are denials, not errors */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReadyOrStale"];
        };
    };
    checkBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description as in a single check; the batch waits for the highest `atLeast` it holds */
                    atLeast?: components["schemas"]["Revision"];
                    checks: components["schemas"]["CheckRequest"][];
                };
            };
        };
        responses: {
            /** @description one result per check, in order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: components["schemas"]["CheckResult"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReadyOrStale"];
        };
    };
    effectivePermissions: {
        parameters: {
            query?: {
                org?: components["schemas"]["Name"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description effective permissions; empty lists with a reason when checks would deny everything */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EffectivePermissions"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    subjectsWithPermission: {
        parameters: {
            query: {
                permission: components["schemas"]["Tag"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the subjects, sorted, each with the grant that allows it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subjects"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    getRealm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the realm */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RealmSummary"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    putRealm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Created"];
            201: components["responses"]["Created"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteRealm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Written"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    listOrgs: {
        parameters: {
            query?: {
                /** @description the `next` of the previous page; leave out for the first page */
                cursor?: components["parameters"]["ListCursor"];
                /** @description at most this many entries in the page */
                limit?: components["parameters"]["ListLimit"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one page; `next` is the cursor of the following page, null after the last */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orgs: components["schemas"]["Name"][];
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description the `next` of the previous page; leave out for the first page */
                cursor?: components["parameters"]["ListCursor"];
                /** @description at most this many entries in the page */
                limit?: components["parameters"]["ListLimit"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one page; `next` is the cursor of the following page, null after the last */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        users: {
                            user: components["schemas"]["UserId"];
                            state: components["schemas"]["UserState"];
                        }[];
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    putOrg: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Created"];
            201: components["responses"]["Created"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteOrg: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Written"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    putUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    state?: components["schemas"]["UserState"];
                };
            };
        };
        responses: {
            200: components["responses"]["UserWritten"];
            201: components["responses"]["UserWritten"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Written"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    putRole: {
        parameters: {
            query?: {
                /** @description `true`: answer what the write would do (records created, updated, deleted; effective permissions granted and revoked) and write nothing. Validated as the write is: a write that would be a 4xx is the same 4xx. */
                dryRun?: components["parameters"]["DryRun"];
                /** @description with `dryRun=true`, how many entries each of `granted` and `revoked` lists at most */
                limit?: components["parameters"]["DryRunLimit"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                role: components["schemas"]["Name"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    permissions: components["schemas"]["Tags"];
                };
            };
        };
        responses: {
            /** @description replaced or unchanged; with `dryRun=true`, what it would do, with nothing written */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleWrittenBody"] | components["schemas"]["DryRunResult"];
                };
            };
            201: components["responses"]["RoleWritten"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteRole: {
        parameters: {
            query?: {
                /** @description `true`: answer what the write would do (records created, updated, deleted; effective permissions granted and revoked) and write nothing. Validated as the write is: a write that would be a 4xx is the same 4xx. */
                dryRun?: components["parameters"]["DryRun"];
                /** @description with `dryRun=true`, how many entries each of `granted` and `revoked` lists at most */
                limit?: components["parameters"]["DryRunLimit"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                role: components["schemas"]["Name"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description committed; with `dryRun=true`, what it would do, with nothing written */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WrittenBody"] | components["schemas"]["DryRunResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    listMemberships: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the user's state and memberships */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["UserId"];
                        state: components["schemas"]["UserState"];
                        memberships: components["schemas"]["Membership"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    putOrgMembership: {
        parameters: {
            query?: never;
            header?: {
                /** @description optimistic concurrency: write only if the membership is at this revision (its `revision`, or the ETag a write answered with); `*` only if it exists. 412 otherwise. */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MembershipBody"];
            };
        };
        responses: {
            200: components["responses"]["MembershipWritten"];
            201: components["responses"]["MembershipWritten"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteOrgMembership: {
        parameters: {
            query?: never;
            header?: {
                /** @description optimistic concurrency: write only if the membership is at this revision (its `revision`, or the ETag a write answered with); `*` only if it exists. 412 otherwise. */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Written"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    putRealmMembership: {
        parameters: {
            query?: never;
            header?: {
                /** @description optimistic concurrency: write only if the membership is at this revision (its `revision`, or the ETag a write answered with); `*` only if it exists. 412 otherwise. */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MembershipBody"];
            };
        };
        responses: {
            200: components["responses"]["MembershipWritten"];
            201: components["responses"]["MembershipWritten"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteRealmMembership: {
        parameters: {
            query?: never;
            header?: {
                /** @description optimistic concurrency: write only if the membership is at this revision (its `revision`, or the ETag a write answered with); `*` only if it exists. 412 otherwise. */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                realm: components["parameters"]["Realm"];
                user: components["parameters"]["User"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Written"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    membershipBatch: {
        parameters: {
            query?: {
                /** @description `true`: answer what the write would do (records created, updated, deleted; effective permissions granted and revoked) and write nothing. Validated as the write is: a write that would be a 4xx is the same 4xx. */
                dryRun?: components["parameters"]["DryRun"];
                /** @description with `dryRun=true`, how many entries each of `granted` and `revoked` lists at most */
                limit?: components["parameters"]["DryRunLimit"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    upsert?: components["schemas"]["MembershipItem"][];
                    delete?: components["schemas"]["MembershipKey"][];
                };
            };
        };
        responses: {
            /** @description committed as one change; with `dryRun=true`, what it would do, with nothing written */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchWrittenBody"] | components["schemas"]["DryRunResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["NotReady"];
        };
    };
    listRealmMemberships: {
        parameters: {
            query?: {
                /** @description the `next` of the previous page; leave out for the first page */
                cursor?: components["parameters"]["ListCursor"];
                /** @description at most this many entries in the page */
                limit?: components["parameters"]["ListLimit"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one page; `next` is the cursor of the following page, null after the last */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        memberships: components["schemas"]["Membership"][];
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    syncMemberships: {
        parameters: {
            query?: {
                org?: components["schemas"]["Name"];
                /** @description `true`: answer what the write would do (records created, updated, deleted; effective permissions granted and revoked) and write nothing. Validated as the write is: a write that would be a 4xx is the same 4xx. */
                dryRun?: components["parameters"]["DryRun"];
                /** @description with `dryRun=true`, how many entries each of `granted` and `revoked` lists at most */
                limit?: components["parameters"]["DryRunLimit"];
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    memberships: components["schemas"]["MembershipItem"][];
                };
            };
        };
        responses: {
            /** @description committed as one change; with `dryRun=true`, what it would do, with nothing written */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchWrittenBody"] | components["schemas"]["DryRunResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["NotReady"];
        };
    };
    listChanges: {
        parameters: {
            query?: {
                after?: number;
                /** @description at most this many changes (one change may hold several events) */
                limit?: number;
            };
            header?: {
                /** @description for the event stream, the id of the last event received; the stream resumes right after it (and `after` is ignored) */
                "Last-Event-ID"?: string;
            };
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description events and the revision to continue after */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: components["schemas"]["Event"][];
                        next: components["schemas"]["Revision"];
                    };
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description changes after `after` were compacted (REALMGATE_LOG_RETENTION_SECONDS); `revision` is the last one compacted */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: components["schemas"]["Token"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description created; `token` is shown this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    getToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Written"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the webhooks, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhooks: components["schemas"]["Webhook"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description http(s); not into the sidecar's own network unless REALMGATE_WEBHOOK_ALLOW_PRIVATE=true */
                    url: string;
                    events?: components["schemas"]["EventFilter"];
                    description?: string;
                };
            };
        };
        responses: {
            /** @description created; keep the secret, it is not shown again */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["NotReady"];
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the webhook */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: components["schemas"]["WebhookId"];
                        /** @enum {boolean} */
                        deleted: true;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url?: string;
                    events?: components["schemas"]["EventFilter"];
                    enabled?: boolean;
                    description?: string | null;
                };
            };
        };
        responses: {
            /** @description the webhook as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["NotReady"];
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: components["schemas"]["WebhookId"];
                        secret: components["schemas"]["WebhookSecret"];
                        /** Format: date-time */
                        previousSecretExpiresAt: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                status?: "pending" | "failed" | "delivered";
                limit?: number;
            };
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveries: components["schemas"]["Delivery"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    retryDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                id: components["parameters"]["WebhookId"];
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    stateDigest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the digest and the revision it was taken at */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        revision: components["schemas"]["Revision"];
                        realms: components["schemas"]["Name"][];
                        memberships: number;
                        digest: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the token's reach */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Whoami"];
                };
            };
            401: components["responses"]["Unauthorized"];
            421: components["responses"]["MisdirectedRequest"];
            503: components["responses"]["NotReady"];
        };
    };
    console: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the console's page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            404: components["responses"]["NotFound"];
            421: components["responses"]["MisdirectedRequest"];
        };
    };
    extAuthzGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExtAuthzAllowed"];
            401: components["responses"]["ExtAuthzUnauthenticated"];
            403: components["responses"]["ExtAuthzDenied"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    extAuthzPut: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExtAuthzAllowed"];
            401: components["responses"]["ExtAuthzUnauthenticated"];
            403: components["responses"]["ExtAuthzDenied"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    extAuthzPost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExtAuthzAllowed"];
            401: components["responses"]["ExtAuthzUnauthenticated"];
            403: components["responses"]["ExtAuthzDenied"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    extAuthzDelete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExtAuthzAllowed"];
            401: components["responses"]["ExtAuthzUnauthenticated"];
            403: components["responses"]["ExtAuthzDenied"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    extAuthzOptions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExtAuthzAllowed"];
            401: components["responses"]["ExtAuthzUnauthenticated"];
            403: components["responses"]["ExtAuthzDenied"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    extAuthzHead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExtAuthzAllowed"];
            401: components["responses"]["ExtAuthzUnauthenticated"];
            403: components["responses"]["ExtAuthzDenied"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
    extAuthzPatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the original request's path as Envoy appends it to `path_prefix: /ext-authz` (it holds `/` characters: `/ext-authz/orgs/eng/orders` is path `/orgs/eng/orders`); the query string is ignored */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExtAuthzAllowed"];
            401: components["responses"]["ExtAuthzUnauthenticated"];
            403: components["responses"]["ExtAuthzDenied"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["NotReady"];
        };
    };
}
