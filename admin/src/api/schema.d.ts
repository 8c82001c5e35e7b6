// Generated from /api/v1/openapi.json by `node ace admin:types`. Do not edit.

export interface paths {
    "/__transmit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live updates: a Server-Sent Events stream
         * @description Each event is `data: {"channel":"teams/<id>","payload":{"event","data"}}`: message.created and message.updated with data {conversationId, messageId}, conversation.updated with data {conversationId}. Follow teams with POST /__transmit/subscribe. 409: the uid is in use by another user's stream.
         */
        get: {
            parameters: {
                query: {
                    /** @description A random id for this stream, chosen by the client (a UUID) */
                    uid: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The stream; stays open, with a ping every 30 s */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                401: components["responses"]["E401"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__transmit/subscribe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Follow a team's channel `teams/<id>` on an open stream (members of the team and admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channel: string;
                        uid: string;
                    };
                };
            };
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/__transmit/unsubscribe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop following a team's channel on an open stream */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channel: string;
                        uid: string;
                    };
                };
            };
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit log (admins) */
        get: {
            parameters: {
                query?: {
                    action?: string;
                    actorId?: number;
                    page?: number;
                    perPage?: number;
                    subjectId?: string;
                    subjectType?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AuditLog"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in; sets the session cookie */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                422: components["responses"]["E422"];
                429: components["responses"]["E429"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log out; destroys the session (or revokes the bearer token used) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's tokens */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data?: components["schemas"]["Token"][];
                        };
                    };
                };
                401: components["responses"]["E401"];
            };
        };
        put?: never;
        /** Create an access token from credentials (shown once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        expiresInDays?: number;
                        name: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** Format: date-time */
                                createdAt?: string;
                                expiresAt?: string | null;
                                id?: number;
                                name?: string;
                                token?: string;
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                422: components["responses"]["E422"];
                429: components["responses"]["E429"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List channels */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    platform?: string;
                    /** @description Prefix with - for descending */
                    sort?: "name" | "-name" | "id" | "-id" | "createdAt" | "-createdAt";
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Channel"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description telegram: {token, mode: "webhook"|"polling", apiRoot?}; api: {webhookUrl} */
                        config: Record<string, never>;
                        name: string;
                        /** @enum {string} */
                        platform: "telegram" | "api";
                        teamId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Channel"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Channel"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        config?: Record<string, never>;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Channel"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        config?: Record<string, never>;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Channel"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/channels/{id}/inbound": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** API channel: a customer message from your app (Bearer <inboundKey>, Idempotency-Key header) */
        post: {
            parameters: {
                query?: never;
                header: {
                    "Idempotency-Key": string;
                };
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        contact: {
                            externalId: string;
                            name?: string;
                        };
                        message: {
                            attachments?: {
                                mimeType?: string;
                                name?: string;
                                /** Format: uri */
                                url: string;
                            }[];
                            id: string;
                            text?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                conversationId?: number;
                                duplicate?: boolean;
                                messageId?: number;
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start the channel */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Channel"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the channel */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Channel"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List contacts */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    /** @description Matches name, email or phone */
                    q?: string;
                    /** @description Prefix with - for descending */
                    sort?: "id" | "-id" | "name" | "-name" | "createdAt" | "-createdAt" | "updatedAt" | "-updatedAt";
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Contact"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        attributes?: Record<string, never>;
                        /** Format: email */
                        email?: string;
                        locale?: string;
                        name?: string;
                        phone?: string;
                        teamId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Contact"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/contacts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Contact"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        attributes?: Record<string, never>;
                        email?: string | null;
                        locale?: string | null;
                        name?: string | null;
                        phone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Contact"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        attributes?: Record<string, never>;
                        email?: string | null;
                        locale?: string | null;
                        name?: string | null;
                        phone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Contact"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List conversations */
        get: {
            parameters: {
                query?: {
                    assigneeId?: number | ("me" | "none");
                    channelId?: number;
                    contactId?: number;
                    /** @description One or more of bot,queued,human */
                    owner?: string;
                    page?: number;
                    perPage?: number;
                    /** @description One or more of low,normal,high,urgent */
                    priority?: string;
                    /** @description Full-text search over message bodies and contact names */
                    q?: string;
                    /** @description Prefix with - for descending */
                    sort?: "lastMessageAt" | "-lastMessageAt" | "createdAt" | "-createdAt" | "id" | "-id";
                    /** @description One or more of open,pending,snoozed,resolved, comma-separated */
                    status?: string;
                    tag?: string;
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Conversation"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assigneeId?: number | null;
                        channelId?: number;
                        contactId: number;
                        /** @enum {string} */
                        priority?: "low" | "normal" | "high" | "urgent";
                        subject?: string;
                        tags?: string[];
                        teamId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Conversation"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List messages */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    /** @description Prefix with - for descending */
                    sort?: "id" | "-id";
                };
                header?: never;
                path: {
                    conversation_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Files by URL, fetched by the platform; sent before the text */
                        attachments?: {
                            /** @enum {string} */
                            kind: "photo" | "document";
                            name?: string;
                            /** Format: uri */
                            url: string;
                        }[];
                        /** @description Rows of buttons; a press arrives as a message of kind callback */
                        buttons?: {
                            data?: string;
                            text: string;
                            /** Format: uri */
                            url?: string;
                        }[][];
                        /**
                         * @description plain unless set; markdown: **bold**, _italic_, `code`, [text](url)
                         * @enum {string}
                         */
                        format?: "plain" | "markdown" | "html";
                        /** @description An internal note (text only), never sent to the customer */
                        internal?: boolean;
                        text?: string;
                    } | unknown | unknown;
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{conversation_id}/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: number;
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: number;
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: number;
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    conversation_id: number;
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Conversation"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assigneeId?: number | null;
                        /** @enum {string} */
                        owner?: "bot" | "queued" | "human";
                        /** @enum {string} */
                        priority?: "low" | "normal" | "high" | "urgent";
                        /** Format: date-time */
                        snoozedUntil?: string;
                        /** @enum {string} */
                        status?: "open" | "pending" | "snoozed" | "resolved";
                        subject?: string | null;
                        tags?: string[];
                        teamId?: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Conversation"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assigneeId?: number | null;
                        /** @enum {string} */
                        owner?: "bot" | "queued" | "human";
                        /** @enum {string} */
                        priority?: "low" | "normal" | "high" | "urgent";
                        /** Format: date-time */
                        snoozedUntil?: string;
                        /** @enum {string} */
                        status?: "open" | "pending" | "snoozed" | "resolved";
                        subject?: string | null;
                        tags?: string[];
                        teamId?: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Conversation"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/conversations/{id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add tags */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        tags: string[];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                tags?: string[];
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a tag */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                    tag: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                tags?: string[];
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A custom event: runs the team's custom rules of that name */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        contact?: {
                            email?: string;
                            id?: number;
                            phone?: string;
                        };
                        conversationId?: number;
                        data?: Record<string, never>;
                        /** @description Your id for the event; the same id runs once */
                        id?: string;
                        name: string;
                        teamId?: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                conversationId?: number | null;
                                evaluations?: Record<string, never>[];
                                key?: string;
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/knowledge/collections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List knowledge */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    /** @description Prefix with - for descending */
                    sort?: "name" | "-name" | "id" | "-id" | "createdAt" | "-createdAt";
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeCollection"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        name: string;
                        teamId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeCollection"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/knowledge/collections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeCollection"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeCollection"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeCollection"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/knowledge/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List knowledge */
        get: {
            parameters: {
                query?: {
                    collectionId?: number;
                    page?: number;
                    perPage?: number;
                    /** @description Words in the title */
                    q?: string;
                    /** @description Prefix with - for descending */
                    sort?: "title" | "-title" | "id" | "-id" | "createdAt" | "-createdAt" | "updatedAt" | "-updatedAt";
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeDocument"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        collectionId: number;
                        content?: string;
                        /** @description Your stable key: saving it again updates the document */
                        externalId?: string;
                        /**
                         * Format: binary
                         * @description As multipart/form-data: a .md, .txt, .html or .pdf file (20 MB at most)
                         */
                        file?: string;
                        /**
                         * @description Of `content`
                         * @enum {string}
                         */
                        format?: "markdown" | "text" | "html";
                        title?: string;
                        /**
                         * Format: uri
                         * @description An http(s) page or file to import
                         */
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeDocument"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/knowledge/documents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeDocument"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        content?: string;
                        /** @enum {string} */
                        format?: "markdown" | "text" | "html";
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeDocument"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        content?: string;
                        /** @enum {string} */
                        format?: "markdown" | "text" | "html";
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeDocument"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/knowledge/documents/{id}/chunks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The chunks a document is indexed as, in order, with their heading paths */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                };
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeChunk"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/knowledge/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search a team's knowledge as the assistant does */
        get: {
            parameters: {
                query?: {
                    collectionId?: number;
                    limit?: number;
                    q?: string;
                    /** @description Required unless you belong to one team or give collectionId */
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["KnowledgeHit"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the caller's name, email or password; a new email or password needs currentPassword, and a new password ends the caller's other sessions */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword?: string;
                        /** Format: email */
                        email?: string;
                        fullName?: string | null;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
                429: components["responses"]["E429"];
            };
        };
        trace?: never;
    };
    "/api/v1/me/logins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's login history */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["AuditLog"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/messages/{id}/attachments/{index}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An attachment, fetched from the platform */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                    index: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                502: components["responses"]["E502"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/messages/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a failed outbound message again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Message"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operator-identities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Workspace accounts linked to users */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    platform?: "slack" | "telegram";
                    userId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["OperatorIdentity"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Link a workspace account to a user (admins; supervisors for their teams) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        displayName?: string;
                        externalId: string;
                        /** @enum {string} */
                        platform: "slack" | "telegram";
                        userId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["OperatorIdentity"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operator-identities/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unlink a workspace account */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/conversations.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The conversations created in the period as CSV, oldest first, streamed
         * @description Columns: id, created_at, team, channel, platform, status, owner, assignee_email, tags (space-separated), message_count, first_response_s, resolved_at, resolution_s. Times are ISO 8601 in `tz`. Cells starting with = + - @ (or a tab or carriage return) are prefixed with a single quote.
         */
        get: {
            parameters: {
                query?: {
                    /** @description First day, in tz; default: 29 days before today */
                    from?: string;
                    /** @description One of your teams; default: all of them */
                    teamId?: number;
                    /** @description Last day, included; default: today */
                    to?: string;
                    /** @description IANA time zone for days and hours */
                    tz?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Content-Disposition: attachment; filename="conversations-FROM-TO.csv" */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dashboard: the desk's numbers and series over a period (members read their teams') */
        get: {
            parameters: {
                query?: {
                    /** @description First day, in tz; default: 29 days before today */
                    from?: string;
                    /** @description One of your teams; default: all of them */
                    teamId?: number;
                    /** @description Last day, included; default: today */
                    to?: string;
                    /** @description IANA time zone for days and hours */
                    tz?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["ReportOverview"];
                            meta: components["schemas"]["ReportPeriod"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List rules */
        get: {
            parameters: {
                query?: {
                    enabled?: boolean;
                    page?: number;
                    perPage?: number;
                    /** @description Prefix with - for descending */
                    sort?: "priority" | "-priority" | "id" | "-id" | "name" | "-name" | "createdAt" | "-createdAt";
                    teamId?: number;
                    triggerType?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        actions: components["schemas"]["RuleAction"][];
                        conditions?: components["schemas"]["RuleConditions"];
                        cooldownSeconds?: number;
                        enabled?: boolean;
                        name: string;
                        priority?: number;
                        stopProcessing?: boolean;
                        teamId?: number;
                        trigger: components["schemas"]["RuleTrigger"];
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        actions?: components["schemas"]["RuleAction"][];
                        conditions?: components["schemas"]["RuleConditions"];
                        cooldownSeconds?: number;
                        enabled?: boolean;
                        name?: string;
                        priority?: number;
                        stopProcessing?: boolean;
                        trigger?: components["schemas"]["RuleTrigger"];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        actions?: components["schemas"]["RuleAction"][];
                        conditions?: components["schemas"]["RuleConditions"];
                        cooldownSeconds?: number;
                        enabled?: boolean;
                        name?: string;
                        priority?: number;
                        stopProcessing?: boolean;
                        trigger?: components["schemas"]["RuleTrigger"];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/rules/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch the rule off */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/{id}/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What the rule would do now, with no side effects */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        conversationId?: number;
                        event?: {
                            conversationId?: number;
                            data?: Record<string, never>;
                            type: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description Every action, its texts with the placeholders filled in */
                                actions?: {
                                    index?: number;
                                    /** @description Option name → text as it would be sent */
                                    rendered?: {
                                        [key: string]: string;
                                    };
                                    type?: string;
                                }[];
                                /** @description Every condition of the rule, reached or not, with the value it sees now */
                                conditions?: {
                                    field?: string;
                                    operator?: string;
                                    path?: string;
                                    /** @description Whether the evaluation got to it */
                                    reached?: boolean;
                                    /** @description What this condition alone answers */
                                    result?: boolean;
                                    seen?: unknown;
                                    value?: unknown;
                                }[];
                                /** @description As in the log: outcome (would_fire, conditions_failed, cooldown, trigger_mismatch...), the conditions reached, each action would_run with its filled-in text as detail */
                                evaluation?: Record<string, never>;
                                event?: Record<string, never>;
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch the rule on */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/{id}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The rule's evaluations, newest first, each explained */
        get: {
            parameters: {
                query?: {
                    conversationId?: number;
                    outcome?: string;
                    page?: number;
                    perPage?: number;
                };
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["RuleExecution"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The team's rules as portable JSON */
        get: {
            parameters: {
                query?: {
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            format?: string;
                            rules?: unknown[];
                            version?: number;
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import rules from JSON (all or nothing; errors name the path) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        mode?: "merge" | "replace";
                        rules: Record<string, never>[];
                        teamId?: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                created?: number;
                                updated?: number;
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/reorder": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the order of the team's rules (priorities 10, 20, ...) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        ids: number[];
                        teamId?: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Rule"][];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a rule may say: triggers, condition fields, operators, actions, limits */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["RuleSchema"];
                        };
                    };
                };
                401: components["responses"]["E401"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rules/signing-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The secret the team's rule webhooks are signed with (Standard Webhooks) */
        get: {
            parameters: {
                query?: {
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                secret?: string;
                                teamId?: number;
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tags */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    /** @description Prefix with - for descending */
                    sort?: "name" | "-name" | "id" | "-id";
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Tag"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        color?: string;
                        /** @description Lower-cased on input */
                        name: string;
                        teamId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Tag"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tags/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Tag"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        color?: string | null;
                        /** @description Lower-cased on input */
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Tag"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        color?: string | null;
                        /** @description Lower-cased on input */
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Tag"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List teams */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    q?: string;
                    /** @description Prefix with - for descending */
                    sort?: "id" | "-id" | "name" | "-name" | "createdAt" | "-createdAt";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Team"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        name: string;
                        settings?: components["schemas"]["TeamSettings"];
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Team"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/teams/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Team"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        name?: string;
                        settings?: components["schemas"]["TeamSettings"];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Team"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        name?: string;
                        settings?: components["schemas"]["TeamSettings"];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Team"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/teams/{id}/assistant/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The system message the team's assistant would get, with sample sources: for the saved prompt, or a draft */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        prompt?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                defaults?: {
                                    baseUrl?: string | null;
                                    deadlineSeconds?: number;
                                    historyTokens?: number;
                                    maxTokens?: number;
                                    model?: string | null;
                                    prompt?: string;
                                    threshold?: number;
                                };
                                /** @description The prompt with {{team}} filled in */
                                prompt?: string;
                                /** @description The whole system message */
                                system?: string;
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/teams/{teamId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Members of a team */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                };
                header?: never;
                path: {
                    teamId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Add a member (201 added, 200 already a member) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    teamId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        userId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/teams/{teamId}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    teamId: number;
                    userId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The assistant's model calls, tokens, cost, answers, handoffs and votes */
        get: {
            parameters: {
                query?: {
                    /** @description First day (UTC); default: start of month */
                    from?: string;
                    groupBy?: "day" | "team" | "channel" | "model";
                    teamId?: number;
                    /** @description Last day, included; default: today */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["UsageRow"][];
                            meta: {
                                /** Format: date */
                                from: string;
                                /** @enum {string} */
                                groupBy: "day" | "team" | "channel" | "model";
                                /** Format: date */
                                to: string;
                                /** @description The sums over every row (no key) */
                                totals: components["schemas"]["UsageRow"];
                            };
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    q?: string;
                    role?: "admin" | "supervisor" | "operator";
                    /** @description Prefix with - for descending */
                    sort?: "id" | "-id" | "email" | "-email" | "createdAt" | "-createdAt";
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        fullName?: string;
                        password: string;
                        /** @enum {string} */
                        role?: "admin" | "supervisor" | "operator";
                        teamIds?: number[];
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled?: boolean;
                        /** Format: email */
                        email?: string;
                        fullName?: string | null;
                        password?: string;
                        /** @enum {string} */
                        role?: "admin" | "supervisor" | "operator";
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled?: boolean;
                        /** Format: email */
                        email?: string;
                        fullName?: string | null;
                        password?: string;
                        /** @enum {string} */
                        role?: "admin" | "supervisor" | "operator";
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["User"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/api/v1/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List workspaces */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    perPage?: number;
                    platform?: "slack" | "telegram";
                    /** @description Prefix with - for descending */
                    sort?: "name" | "-name" | "id" | "-id" | "createdAt" | "-createdAt";
                    teamId?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Workspace"][];
                            meta: components["schemas"]["ListMeta"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
                422: components["responses"]["E422"];
            };
        };
        put?: never;
        /** Create */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description slack: {botToken, signingSecret, channelId, apiUrl?}; telegram: {channelId (a Telegram channel of the team), chatId (the forum group)} */
                        config: Record<string, never>;
                        enabled?: boolean;
                        name: string;
                        /** @enum {string} */
                        platform: "slack" | "telegram";
                        routing?: components["schemas"]["WorkspaceRouting"];
                        teamId: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Workspace"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Workspace"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        /** Replace fields */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        config?: Record<string, never>;
                        enabled?: boolean;
                        name?: string;
                        routing?: components["schemas"]["WorkspaceRouting"];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Workspace"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        post?: never;
        /** Delete */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
            };
        };
        options?: never;
        head?: never;
        /** Update fields */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        config?: Record<string, never>;
                        enabled?: boolean;
                        name?: string;
                        routing?: components["schemas"]["WorkspaceRouting"];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["Workspace"];
                        };
                    };
                };
                401: components["responses"]["E401"];
                403: components["responses"]["E403"];
                404: components["responses"]["E404"];
                409: components["responses"]["E409"];
                422: components["responses"]["E422"];
            };
        };
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the server and its dependencies */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Healthy */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks?: Record<string, never>;
                            /** @constant */
                            status?: "ok";
                        };
                    };
                };
                /** @description A check failed */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks?: Record<string, never>;
                            /** @constant */
                            status?: "error";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/slack/{workspaceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Slack Events API, interactivity and the /sb slash command (X-Slack-Signature, 5-minute window) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    workspaceId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Only for url_verification */
                            challenge?: string;
                            /** @description Only for a slash command: ephemeral */
                            response_type?: string;
                            /** @description Only for a slash command: the command's answer */
                            text?: string;
                        };
                    };
                };
                400: components["responses"]["E400"];
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/telegram/{channelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Telegram webhook (X-Telegram-Bot-Api-Secret-Token) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    channelId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok?: boolean;
                        };
                    };
                };
                400: components["responses"]["E400"];
                401: components["responses"]["E401"];
                404: components["responses"]["E404"];
            };
        };
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
        AuditLog: {
            /**
             * @example auth.login
             * @example auth.login_failed
             * @example user.role_changed
             * @example team.member_added
             */
            action?: string;
            /** @description In /audit-logs: who acted; null for the system or a deleted user */
            actor?: {
                email?: string;
                fullName?: string | null;
                id?: number;
            } | null;
            actorId?: number | null;
            /** Format: date-time */
            createdAt?: string;
            data?: Record<string, never>;
            id?: number;
            ip?: string | null;
            subjectId?: string | null;
            subjectType?: string | null;
            userAgent?: string | null;
        };
        BusinessHours: {
            /** @description Closed all day (YYYY-MM-DD, in the timezone) */
            holidays?: string[];
            /** @description IANA zone, e.g. Europe/Berlin */
            timezone: string;
            weekly: {
                /** @description Open spans, "09:00-17:30"; a day left out is closed */
                fri?: string[];
                /** @description Open spans, "09:00-17:30"; a day left out is closed */
                mon?: string[];
                /** @description Open spans, "09:00-17:30"; a day left out is closed */
                sat?: string[];
                /** @description Open spans, "09:00-17:30"; a day left out is closed */
                sun?: string[];
                /** @description Open spans, "09:00-17:30"; a day left out is closed */
                thu?: string[];
                /** @description Open spans, "09:00-17:30"; a day left out is closed */
                tue?: string[];
                /** @description Open spans, "09:00-17:30"; a day left out is closed */
                wed?: string[];
            };
        };
        Channel: {
            /** @description The config without its secrets */
            config?: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt?: string;
            enabled?: boolean;
            id?: number;
            inboundUrl?: string | null;
            name?: string;
            /** @enum {string} */
            platform?: "telegram" | "api";
            /** @description Only in the creation answer: generated secrets, shown once */
            secrets?: {
                /** @description API channel: Bearer key for POST …/inbound */
                inboundKey?: string;
                /** @description API channel: verifies the signed webhooks */
                webhookSecret?: string;
            };
            /** @description starting, running, stopped or error */
            status?: string;
            statusDetail?: string | null;
            teamId?: number;
            /** Format: date-time */
            updatedAt?: string;
        };
        Contact: {
            attributes?: Record<string, never>;
            /** Format: date-time */
            createdAt?: string;
            email?: string | null;
            id?: number;
            identities?: {
                externalId?: string;
                id?: number;
                platform?: string;
                username?: string | null;
            }[];
            locale?: string | null;
            name?: string | null;
            phone?: string | null;
            teamId?: number;
            unreachableAt?: string | null;
            /** Format: date-time */
            updatedAt?: string;
        };
        Conversation: {
            assigneeId?: number | null;
            channelId?: number | null;
            contact?: components["schemas"]["Contact"];
            contactId?: number;
            /** Format: date-time */
            createdAt?: string;
            handoffReason?: string | null;
            id?: number;
            lastCustomerMessageAt?: string | null;
            /** @description In lists only: the newest message that is not an internal note, its text cut to 200 characters; null when there is none */
            lastMessage?: {
                attachmentCount?: number;
                /** @enum {string} */
                authorKind?: "contact" | "bot" | "operator" | "system";
                body?: string | null;
                /** Format: date-time */
                createdAt?: string;
                deliveryStatus?: ("received" | "pending" | "sent" | "failed") | null;
                /** @enum {string} */
                direction?: "inbound" | "outbound";
                id?: number;
                kind?: string;
            } | null;
            /** Format: date-time */
            lastMessageAt?: string;
            lastOperatorMessageAt?: string | null;
            messageCount?: number;
            /** @enum {string} */
            owner?: "bot" | "queued" | "human";
            /** @enum {string} */
            priority?: "low" | "normal" | "high" | "urgent";
            resolvedAt?: string | null;
            snoozedUntil?: string | null;
            /** @enum {string} */
            status?: "open" | "pending" | "snoozed" | "resolved";
            subject?: string | null;
            tags?: string[];
            teamId?: number;
            /** Format: date-time */
            updatedAt?: string;
        };
        Error: {
            errors: {
                field?: string;
                message: string;
                rule?: string;
            }[];
        };
        KnowledgeChunk: {
            heading: string | null;
            id: number;
            /** @description Position in the document, from 0 */
            ordinal: number;
            text: string;
        };
        KnowledgeCollection: {
            /** Format: date-time */
            createdAt?: string;
            description?: string | null;
            id?: number;
            name?: string;
            teamId?: number;
            /** Format: date-time */
            updatedAt?: string;
        };
        KnowledgeDocument: {
            chunkCount?: number;
            collectionId?: number;
            /** @description Cleaned text, headings as Markdown; only in `show` */
            content?: string;
            contentHash?: string;
            /** Format: date-time */
            createdAt?: string;
            createdById?: number | null;
            externalId?: string | null;
            filename?: string | null;
            /** @enum {string} */
            format?: "markdown" | "text" | "html" | "pdf";
            id?: number;
            /** @description Bytes of the cleaned text */
            size?: number;
            /** @enum {string} */
            source?: "text" | "file" | "url";
            sourceUrl?: string | null;
            teamId?: number;
            title?: string;
            /** Format: date-time */
            updatedAt?: string;
        };
        KnowledgeHit: {
            chunkId?: number;
            collectionId?: number;
            /** @description How well the chunk covers the query; the assistant compares it to its threshold */
            confidence?: number;
            documentId?: number;
            heading?: string | null;
            /** @description BM25 score (higher is better) */
            score?: number;
            /** @description HTML-escaped text with matched terms in <mark> */
            snippet?: string;
            sourceUrl?: string | null;
            text?: string;
            title?: string;
        };
        ListMeta: {
            page: number;
            perPage: number;
            /** @description Matches, counted up to 1,000 */
            total: number;
            /** @description True when there are more matches than total */
            totalCapped: boolean;
        };
        Message: {
            /** @description Files; each is served by GET /messages/{id}/attachments/{index} */
            attachments?: {
                /** @description photo, document, audio, voice, video, sticker, … */
                kind: string;
                mimeType?: string;
                name?: string;
                size?: number;
                url?: string;
            }[];
            attempts?: number;
            /** @enum {string} */
            authorKind?: "contact" | "bot" | "operator" | "system";
            authorUserId?: number | null;
            body?: string | null;
            channelId?: number | null;
            conversationId?: number;
            /** Format: date-time */
            createdAt?: string;
            deletedAt?: string | null;
            deliveryStatus?: ("received" | "pending" | "sent" | "failed") | null;
            /** @enum {string} */
            direction?: "inbound" | "outbound" | "internal";
            editedAt?: string | null;
            externalId?: string | null;
            failureReason?: string | null;
            id?: number;
            kind?: string;
            metadata?: {
                /** @description An assistant answer's details */
                assistant?: {
                    confidence?: number;
                    /** @enum {string} */
                    mode?: "passage" | "model";
                    model?: string;
                    sources?: {
                        n?: number;
                        title?: string;
                        url?: string | null;
                    }[];
                };
                buttons?: {
                    data?: string;
                    text: string;
                    url?: string;
                }[][];
                /** @enum {string} */
                format?: "markdown" | "html";
            };
            replyToId?: number | null;
            /** Format: date-time */
            updatedAt?: string;
        };
        OperatorIdentity: {
            /** Format: date-time */
            createdAt?: string;
            displayName?: string | null;
            /** @description Slack: <team id>:<user id>; Telegram: the user id */
            externalId?: string;
            id?: number;
            /** @enum {string} */
            platform?: "slack" | "telegram";
            userId?: number;
        };
        ReportOverview: {
            kpis: {
                budgetThisMonth: number | null;
                /** @description Their cost in dollars */
                costThisMonth: number;
                createdInPeriod: number;
                firstResponseMedianS: number | null;
                firstResponseP90S: number | null;
                /** @description Conversations not resolved, now */
                open: number;
                resolutionMedianS: number | null;
                resolvedInPeriod: number;
                resolvedWithoutPersonShare: number | null;
                thumbsUpShare: number | null;
                /** @description Model tokens since the 1st of this month (UTC) */
                tokensThisMonth: number;
                /** @description Of those, the ones handed to people (owner queued), now */
                waitingForPerson: number;
            };
            series: {
                /** @description Customer messages; all 168 cells */
                busiestHours: {
                    count: number;
                    hour: number;
                    /** @description 0 = Monday */
                    weekday: number;
                }[];
                /** @description Every day of the period for every platform seen in it */
                conversationsPerDay: {
                    /** @description Platform (telegram, api, …); none without a channel */
                    channel: string;
                    count: number;
                    /** Format: date */
                    day: string;
                }[];
                handoffsPerDay: {
                    count: number;
                    /** Format: date */
                    day: string;
                }[];
                tokensPerDay: {
                    /** @description Dollars */
                    cost: number;
                    /** Format: date */
                    day: string;
                    tokens: number;
                }[];
            };
        };
        ReportPeriod: {
            /** Format: date */
            from: string;
            teamIds: number[] | null;
            /** Format: date */
            to: string;
            tz: string;
        };
        Rule: {
            actions?: components["schemas"]["RuleAction"][];
            builtin?: ("welcome" | "human" | "after_hours" | "assistant") | null;
            conditions?: components["schemas"]["RuleConditions"];
            cooldownSeconds?: number;
            /** Format: date-time */
            createdAt?: string;
            enabled?: boolean;
            id?: number;
            lastFiredAt?: string | null;
            name?: string;
            /** @description Lower runs first */
            priority?: number;
            stopProcessing?: boolean;
            teamId?: number;
            trigger?: components["schemas"]["RuleTrigger"];
            /** Format: date-time */
            updatedAt?: string;
        };
        /** @description type is one of send_message {text}, ai_answer, hand_off {reason?}, assign_operator {userId | strategy: round_robin|least_busy}, assign_team {teamId}, set_status {status, for?}, add_tags {tags}, remove_tags {tags}, set_priority {priority}, add_note {text}, notify_workspace {text}, webhook {url}, delay {for}. GET /api/v1/rules/schema describes each option. */
        RuleAction: {
            /** @enum {string} */
            type: "send_message" | "ai_answer" | "hand_off" | "assign_operator" | "assign_team" | "set_status" | "add_tags" | "remove_tags" | "set_priority" | "add_note" | "notify_workspace" | "webhook" | "delay";
        };
        /** @description {all: [...]} or {any: [...]}, nestable, of {field, operator, value}. Operators: equals, not_equals, contains, not_contains, matches, present, absent, gt, lt, in. See the README for the fields. */
        RuleConditions: Record<string, never>;
        RuleExecution: {
            actions?: {
                detail?: string;
                index?: number;
                outcome?: string;
                type?: string;
            }[];
            conditions?: {
                field?: string;
                operator?: string;
                path?: string;
                result?: boolean;
                seen?: unknown;
                value?: unknown;
            }[];
            conversationId?: number | null;
            /** Format: date-time */
            createdAt?: string;
            durationMs?: number;
            event?: Record<string, never>;
            eventKey?: string;
            id?: number;
            /** @enum {string} */
            outcome?: "fired" | "conditions_failed" | "cooldown" | "loop_prevented" | "waiting" | "failed";
            reason?: string | null;
            ruleId?: number;
            teamId?: number;
        };
        RuleOption: {
            description?: string;
            /** @description The values an enum (or a list of enums) takes */
            enum?: unknown[];
            /** @description duration (10m, 2h, 1d), timezone (IANA), cron, uri */
            format?: string;
            max?: number;
            maxItems?: number;
            maxLength?: number;
            min?: number;
            minItems?: number;
            minLength?: number;
            name: string;
            /** @description A regular expression a string (or each list item) matches */
            pattern?: string;
            /**
             * @description The id names a user or a team
             * @enum {string}
             */
            ref?: "user" | "team";
            /** @description Always; see requiredIf for "sometimes" */
            required: boolean;
            /** @description Required when another option is missing ({missing}) or has a value ({option, equals}) */
            requiredIf?: Record<string, never>;
            /** @description Its {{placeholders}} are filled in when it runs */
            template?: boolean;
            /** @description string, integer, number, boolean, enum, or a list of one: string[] */
            type: string;
        };
        RuleSchema: {
            actions: {
                allowedOnSchedule: boolean;
                description: string;
                label: string;
                options: components["schemas"]["RuleOption"][];
                type: string;
            }[];
            conditionFields: {
                enum?: string[];
                label: string;
                /** @description contact.attributes.* and event.* take any sub-key */
                name: string;
                operators: string[];
                /** @description The name ends in * : any sub-key */
                pattern?: boolean;
                /** @description The triggers whose events give it a value; absent: all */
                triggers?: string[];
                /** @enum {string} */
                type: "string" | "number" | "boolean" | "enum" | "id" | "string[]" | "any";
            }[];
            /** @description nameLength, priority, cooldownSeconds, actions, durationSeconds: {min, max}; conditionDepth, conditions, patternLength, matchedTextLength, sameRuleInChain, chainLength: numbers */
            limits: Record<string, never>;
            operators: {
                label: string;
                name: string;
                /** @description The field types it suits */
                types: string[];
                /** @enum {string} */
                valueType: "any" | "string" | "pattern" | "number" | "list" | "none";
            }[];
            templates: {
                fallback?: string;
                patterns?: string[];
                syntax?: string;
                variables?: {
                    label?: string;
                    name?: string;
                }[];
            };
            triggers: {
                description: string;
                /** @description The event's own data, for event.* conditions and placeholders */
                eventFields: {
                    description?: string;
                    name?: string;
                }[];
                label: string;
                options: components["schemas"]["RuleOption"][];
                type: string;
            }[];
        };
        /** @description type is one of message.received, conversation.created, conversation.status_changed {from?, to?}, message.count {count}, contact.status {status: new|returning|tagged, tag?}, conversation.inactive {waiting: customer|operator, minutes}, escalation {source?: customer|assistant|rule}, custom {name}, schedule {cron, timezone?}. GET /api/v1/rules/schema describes each option. */
        RuleTrigger: {
            /** @enum {string} */
            type: "message.received" | "conversation.created" | "conversation.status_changed" | "message.count" | "contact.status" | "conversation.inactive" | "escalation" | "custom" | "schedule";
        };
        Tag: {
            color?: string | null;
            /** Format: date-time */
            createdAt?: string;
            id?: number;
            name?: string;
            teamId?: number;
        };
        Team: {
            /** @description Whether the team has its own model API key (the key is never shown) */
            assistantApiKeySet?: boolean;
            /** Format: date-time */
            createdAt?: string;
            description?: string | null;
            id?: number;
            /** @description In lists and show */
            memberCount?: number;
            name?: string;
            settings?: components["schemas"]["TeamSettings"];
            /** Format: date-time */
            updatedAt?: string;
        };
        TeamAssistantSettings: {
            allowedHosts?: string[];
            apiKey?: string | null;
            baseUrl?: string | null;
            deadlineSeconds?: number;
            /** @description Default true */
            enabled?: boolean;
            historyTokens?: number;
            maxTokens?: number;
            model?: string | null;
            monthlyTokenBudget?: number | null;
            prompt?: string | null;
            /** @description Least confidence of the best passage to answer at all (default 0.5) */
            threshold?: number;
        };
        /** @description Merged over the stored settings on update; unknown keys are kept */
        TeamSettings: {
            assistant?: components["schemas"]["TeamAssistantSettings"];
            autoReplyText?: string;
            businessHours?: components["schemas"]["BusinessHours"] | null;
            /** @description Told to the customer when the conversation is handed to people */
            handoffText?: string;
            /** @description Answers /help */
            helpText?: string;
            /** @description Answers /start */
            welcomeText?: string;
        };
        Token: {
            /** Format: date-time */
            createdAt?: string;
            expiresAt?: string | null;
            id?: number;
            lastUsedAt?: string | null;
            name?: string;
        };
        UsageRow: {
            answers?: number;
            completionTokens?: number;
            costUsd?: number;
            failedCalls?: number;
            handoffs?: number;
            /** @description The day (YYYY-MM-DD), team id, channel id or model name */
            key?: unknown;
            modelCalls?: number;
            promptTokens?: number;
            retrievals?: number;
            totalTokens?: number;
            votesDown?: number;
            votesUp?: number;
        };
        User: {
            /** Format: date-time */
            createdAt?: string;
            disabled?: boolean;
            disabledAt?: string | null;
            /** Format: email */
            email?: string;
            fullName?: string | null;
            id?: number;
            lastLoginAt?: string | null;
            /** @enum {string} */
            role?: "admin" | "supervisor" | "operator";
            teams?: {
                id?: number;
                name?: string;
            }[];
            /** Format: date-time */
            updatedAt?: string;
        };
        Workspace: {
            /** @description The config without its secrets */
            config?: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt?: string;
            enabled?: boolean;
            id?: number;
            name?: string;
            /** @enum {string} */
            platform?: "slack" | "telegram";
            routing?: components["schemas"]["WorkspaceRouting"];
            status?: string;
            statusDetail?: string | null;
            teamId?: number;
            /** Format: date-time */
            updatedAt?: string;
            webhookUrl?: string | null;
        };
        WorkspaceRouting: {
            /** @description Only these channels */
            channelIds?: number[];
            /**
             * @description handoff (default): only conversations handed to people; all: every one
             * @enum {string}
             */
            conversations: "handoff" | "all";
            /** @description Only conversations with one of these tags */
            tags?: string[];
        };
    };
    responses: {
        /** @description Malformed request */
        E400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not authenticated */
        E401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not allowed, or missing CSRF token on a cookie-authenticated write */
        E403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not found, or not visible to the caller */
        E404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Conflicts with existing data */
        E409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Request body too large */
        E413: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Validation failed; each error names its field */
        E422: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Too many attempts; see Retry-After */
        E429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The chat platform failed to answer */
        E502: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A dependency is down */
        E503: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
