// Generated from openapi.yaml by `npm run generate -w @realmgate/client`. Do not edit.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness; 200 as soon as the process serves HTTP. */
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
        /** Readiness; 200 only once the policy is loaded. */
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
        /** Prometheus text exposition. */
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
        get?: never;
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
         * The realm's change log as events, oldest first, after a revision. Subscribers poll with
         *     `after` set to the last `next`; expired memberships appear as `membership.deleted` with
         *     reason `expired`.
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
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
                code: string;
                message: string;
                field?: string;
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
             * @description why the sidecar is not ready
             * @enum {string}
             */
            reason?: "loading" | "lagging";
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
        CheckResult: {
            allowed: boolean;
            /** @enum {string} */
            reason: "granted" | "unknown_realm" | "unknown_user" | "user_disabled" | "unknown_org" | "no_membership" | "expired" | "no_grant";
            match?: components["schemas"]["GrantMatch"];
            revision: components["schemas"]["Revision"];
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
        ChangeEvent: {
            revision: components["schemas"]["Revision"];
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            type: "realm.upserted" | "realm.deleted" | "org.upserted" | "org.deleted" | "user.upserted" | "user.deleted" | "role.upserted" | "role.deleted" | "membership.upserted" | "membership.deleted";
            /**
             * @description for membership.deleted
             * @enum {string}
             */
            reason?: "deleted" | "expired" | "sync";
        } & {
            [key: string]: unknown;
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
        /** @description invalid input (malformed JSON included); `field` names the offender */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description no bearer token */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description wrong bearer token */
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
        /** @description the policy is still loading (not_ready), or a write could not complete in time and wrote nothing (write_unavailable) */
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
        /** @description optimistic concurrency: write only if the membership is at this revision (its `revision`, or the ETag a write answered with); `*` only if it exists. 412 otherwise. */
        IfMatch: string;
        Realm: components["schemas"]["Name"];
        Org: components["schemas"]["Name"];
        User: components["schemas"]["UserId"];
    };
    requestBodies: never;
    headers: never;
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description still loading */
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
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
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
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
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
            404: components["responses"]["NotFound"];
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
            404: components["responses"]["NotFound"];
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
            503: components["responses"]["NotReady"];
        };
    };
    putRole: {
        parameters: {
            query?: never;
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
            200: components["responses"]["RoleWritten"];
            201: components["responses"]["RoleWritten"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["NotReady"];
        };
    };
    deleteRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                realm: components["parameters"]["Realm"];
                role: components["schemas"]["Name"];
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
            409: components["responses"]["Conflict"];
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
            503: components["responses"]["NotReady"];
        };
    };
    membershipBatch: {
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
                    upsert?: components["schemas"]["MembershipItem"][];
                    delete?: components["schemas"]["MembershipKey"][];
                };
            };
        };
        responses: {
            200: components["responses"]["BatchWritten"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            503: components["responses"]["NotReady"];
        };
    };
    syncMemberships: {
        parameters: {
            query?: {
                org?: components["schemas"]["Name"];
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
            200: components["responses"]["BatchWritten"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
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
            header?: never;
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
                        events: components["schemas"]["ChangeEvent"][];
                        next: components["schemas"]["Revision"];
                    };
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
            503: components["responses"]["NotReady"];
        };
    };
}
