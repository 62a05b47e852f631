// The console's WebSocket opened by a small inline script in the page's HTML,
// before the JavaScript bundle has loaded and React has hydrated: the server's
// snapshot (megabytes at 100 nodes x 2000 resources) then travels while the
// bundle is evaluated, instead of after it. The live store adopts that socket
// and replays what it already received; anything unusual (no early socket,
// another URL, already closed) falls back to a socket of its own.

import { WS_COMPRESS_DEFLATE_RAW, WS_COMPRESS_PARAM } from "../server/api/contract";

/** Where the inline script leaves the socket for the live store. */
const KEY = "__vigilEarlySocket";

/** A frame that arrived before the live store took the socket over. */
export interface EarlyFrame {
  data: unknown;
  /**
   * A compressed frame's text, inflating since it arrived: the inline script starts
   * it at once, so the first snapshot inflates while the bundle is evaluated and
   * React hydrates, instead of after them (35-60 ms of Chromium's main thread at
   * 100 nodes x 2000 resources, and the hops of its stream between other tasks).
   */
  text?: Promise<string>;
}

export interface EarlySocket {
  url: string;
  ws: WebSocket;
  /** frames received before the live store took the socket over */
  queue: EarlyFrame[];
  /** set when the socket closed before it was taken over */
  closed?: CloseEvent;
}

/**
 * The inline script (no imports, runs as soon as the HTML is parsed). It
 * builds the URL exactly as LiveStoreProvider does (liveUrl in ws-frames.ts,
 * compressed large frames when the browser can inflate them), so
 * takeEarlySocket can tell it is the same feed. It inflates compressed frames
 * the way frameText (ws-frames.ts) does.
 */
export const EARLY_SOCKET_SCRIPT = `(function(){try{var l=location,u=(l.protocol==="https:"?"wss:":"ws:")+"//"+l.host+"/ws"+(typeof DecompressionStream==="function"?"?${WS_COMPRESS_PARAM}=${WS_COMPRESS_DEFLATE_RAW}":""),w=new WebSocket(u),e={url:u,ws:w,queue:[]};w.binaryType="arraybuffer";w.onmessage=function(m){var f={data:m.data};if(typeof m.data!=="string"&&typeof DecompressionStream==="function"){try{f.text=new Response(new Blob([m.data]).stream().pipeThrough(new DecompressionStream("${WS_COMPRESS_DEFLATE_RAW}"))).text();f.text.catch(function(){})}catch(x){}}e.queue.push(f)};w.onclose=function(c){e.closed=c};window.${KEY}=e}catch(x){}})();`;

/** The early socket for `url`, once; closes and drops one for another URL. */
export function takeEarlySocket(url: string): EarlySocket | null {
  const w = window as unknown as Record<string, EarlySocket | undefined>;
  const e = w[KEY];
  if (!e) return null;
  delete w[KEY];
  if (e.url !== url || e.closed || e.ws.readyState > WebSocket.OPEN) {
    try {
      e.ws.close(1000);
    } catch {
      /* already closed */
    }
    return null;
  }
  e.ws.onmessage = null;
  e.ws.onclose = null;
  return e;
}
