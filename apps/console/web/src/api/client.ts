import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/case-api';

// The case API, typed from its generated OpenAPI document; calls go to the console's own origin, which
// forwards /v1 to the case service. The session (token and user) lives in sessionStorage: one tab, gone when
// it closes.

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type LoginResponse = Json<'/v1/auth/login', 'post'>;
export type User = LoginResponse['user'];
export type QueuesResponse = Json<'/v1/queues', 'get'>;
export type QueueItem = Json<'/v1/cases', 'get'>['cases'][number];
export type CaseView = Json<'/v1/cases/{id}/actions', 'post'>;
export type CaseFile = Json<'/v1/cases/{id}', 'get'>;
export type Alert = CaseFile['alerts'][number];
export type Activity = CaseFile['recent_decisions']['card'][number];
export type ActionBody = NonNullable<
  paths['/v1/cases/{id}/actions']['post']['requestBody']
>['content']['application/json'];

const SESSION = 'argus.console.session';

export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: User;
}

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION);
  if (raw === null) return null;
  const session = JSON.parse(raw) as Session;
  return Date.parse(session.expiresAt) > Date.now() ? session : null;
}

export function saveSession(session: Session | null): void {
  if (session === null) sessionStorage.removeItem(SESSION);
  else sessionStorage.setItem(SESSION, JSON.stringify(session));
}

/** What the API said when it refused: its code and message, and the fields it named. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let onUnauthenticated: () => void = () => undefined;
export function whenLoggedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session !== null) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/v1/auth/login')) {
      saveSession(null);
      onUnauthenticated();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: new URL('.', window.location.href).href.replace(/\/$/, '') });
api.use(auth);

/** The data of a call, or an ApiError with what the service said. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as {
    error?: string;
    message?: string;
    field_errors?: { field: string; message: string }[];
  };
  throw new ApiError(
    response.status,
    body.error ?? `HTTP_${response.status}`,
    body.message ?? response.statusText,
    body.field_errors,
  );
}

export type DashboardData = Json<'/v1/dashboard', 'get'>;
