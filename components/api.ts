// The console's only way to change anything: REST calls to the controller's API.
// Errors come back as ApiError with a sentence meant for the user.

import { CSRF_COOKIE, CSRF_HEADER, type ChangeInput, type ChangeResponse, type PreviewResponse } from "../server/api/contract";

export class ApiError extends Error {
  constructor(
    message: string,
    public status: number,
    public field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let sessionCsrf: string | undefined;

/** Remember the CSRF token the login / session response handed out. */
export function setCsrfToken(token: string | undefined) {
  sessionCsrf = token;
}

function csrfToken(): string | undefined {
  if (sessionCsrf) return sessionCsrf;
  const m = document.cookie.match(new RegExp(`(?:^|;\\s*)${CSRF_COOKIE}=([^;]+)`));
  return m ? decodeURIComponent(m[1]) : undefined;
}

function explain(status: number, body: { error?: string; message?: string; field?: string } | null): string {
  const text = body?.error ?? body?.message;
  if (text) return text;
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 403) return "Your role does not allow this change. Ask an admin.";
  if (status === 404) return "The controller does not know this item any more; the page shows the current state.";
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  return `The controller answered ${status}. Check the controller's log.`;
}

export async function api<T = unknown>(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const csrf = method === "GET" ? undefined : csrfToken();
  if (csrf) headers[CSRF_HEADER] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError("Cannot reach the controller. Check that `vigil daemon` is running and the network is up.", 0);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const b = json as { error?: string; message?: string; field?: string } | null;
    if (res.status === 401 && !path.startsWith("/api/login")) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    throw new ApiError(explain(res.status, b), res.status, b?.field);
  }
  return json as T;
}

export const post = <T = unknown,>(path: string, body: unknown = {}) => api<T>("POST", path, body);

/** Apply one change (the same Change the CLI sends). */
export const applyChange = (change: ChangeInput) => post<ChangeResponse>("/api/changes", change);

/** Ask the scheduler what a change would do, without applying it. */
export const previewChange = (change: ChangeInput) => post<PreviewResponse>("/api/preview", change);
