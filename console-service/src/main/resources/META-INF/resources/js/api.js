// Calls to the services through the console's same-origin proxy (/api/<service>/…), with the key of this tab.
const KEY = 'tailor.apiKey';

export const auth = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key.trim()),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An answer other than 2xx: the HTTP status and what the service said (problem details or OpenAI's error). */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** True when the endpoint itself is missing on this server (an older service): pages show "not available". */
export const notAvailable = (e) => e instanceof ApiError && [404, 405, 501].includes(e.status) && e.missingEndpoint;

export function headers(extra = {}) {
  return { ...extra, Authorization: `Bearer ${auth.get()}` };
}

async function problem(res) {
  const text = await res.text();
  try {
    const p = JSON.parse(text);
    return p.detail || (p.error && p.error.message) || p.title || text;
  } catch {
    return text || res.statusText || `HTTP ${res.status}`;
  }
}

/** fetch() on the console with the credential; 401 sends the user back to the sign-in page (unless signingIn). */
export async function request(url, { method = 'GET', body, contentType, signal, signingIn = false } = {}) {
  const h = headers(contentType ? { 'Content-Type': contentType } : {});
  const res = await fetch(url, { method, body, headers: h, signal });
  if (res.status === 401 && !signingIn) {
    auth.clear();
    location.hash = '#/login';
    throw new ApiError(401, await problem(res));
  }
  if (!res.ok) {
    const err = new ApiError(res.status, await problem(res));
    // a missing route answers 405, or 404 with a body that does not name a resource of ours
    err.missingEndpoint = res.status === 405 || res.status === 501
        || (res.status === 404 && !/dataset|model|job|evaluation|version|report|deployment|alias/i.test(err.message));
    throw err;
  }
  return res;
}

/** GET/POST/… on a service, JSON answer. */
export async function api(service, path, options = {}) {
  const res = await request(`/api/${service}${path}`, options);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** Reads a text/event-stream body, calling onEvent(name, data) per event. */
export async function readSse(res, onEvent) {
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value.replace(/\r\n/g, '\n');
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, data.join('\n'));
    }
  }
}

// ---- live pipeline events (SSE of /console/v1/events, read with fetch: EventSource cannot send a credential)
const listeners = new Set();
let streaming = false;

/** Calls fn(stage, event) for every pipeline event of the caller's tenant; returns the function that stops it. */
export function onPipelineEvent(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function startEvents(indicator) {
  if (streaming || !auth.get()) return;
  streaming = true;
  while (auth.get()) {
    try {
      const res = await request('/console/v1/events');
      await readSse(res, (name, data) => {
        if (name === 'ready') {
          indicator.textContent = 'live';
          indicator.className = 'live on';
        }
        if (name === 'ready' || name === 'heartbeat') return;
        const event = JSON.parse(data);
        listeners.forEach((fn) => fn(name, event));
      });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) break;
    }
    indicator.textContent = 'reconnecting';
    indicator.className = 'live off';
    await new Promise((r) => setTimeout(r, 2000));
  }
  streaming = false;
}
