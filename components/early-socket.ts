// The console's WebSocket opened by a tiny inline script while the page is
// still parsing, before the console's JavaScript has loaded and hydrated (at
// 100 × 2000 that is most of a second). The server sends the snapshot at once;
// the live store adopts the socket and replays what arrived meanwhile.
// No cluster logic here: only the socket and its buffered raw messages.

export type EarlySocket = { ws: WebSocket; messages: string[] };

const KEY = "__vigilEarlySocket";

/** Inline script for the console layout: opens /ws with the session cookie and buffers messages. */
export const earlySocketScript = `(function(){try{var p=location.protocol==="https:"?"wss:":"ws:";var ws=new WebSocket(p+"//"+location.host+"/ws");var e={ws:ws,messages:[]};ws.onmessage=function(m){e.messages.push(String(m.data))};window.${KEY}=e}catch(_){}})();`;

/**
 * Takes the early socket once (later mounts connect themselves). A socket that
 * already closed is dropped: the store connects again and handles refusals then.
 */
export function adoptEarlySocket(): EarlySocket | null {
  const w = window as unknown as Record<string, EarlySocket | undefined>;
  const early = w[KEY];
  if (!early) return null;
  delete w[KEY];
  early.ws.onmessage = null;
  if (early.ws.readyState > WebSocket.OPEN) return null;
  return early;
}

/** Closes an early socket nobody will adopt (a store with its own token). */
export function dropEarlySocket() {
  adoptEarlySocket()?.ws.close(1000);
}
