// Frames of the live feed (/ws) as text. The console asks for large messages
// compressed (?compress=deflate-raw, see server/api/contract.ts): those arrive
// as binary frames of raw DEFLATE, everything else as JSON text.

import { WS_COMPRESS_DEFLATE_RAW, WS_COMPRESS_PARAM } from "../server/api/contract";

/** Whether this browser can inflate the compressed frames (DecompressionStream). */
export const canInflate = (): boolean => typeof DecompressionStream === "function";

/** The feed's URL, as the inline early-socket script builds it for the same page. */
export function liveUrl(loc: { protocol: string; host: string }, token?: string, compress = canInflate()): string {
  const q = [token ? `token=${encodeURIComponent(token)}` : "", compress ? `${WS_COMPRESS_PARAM}=${WS_COMPRESS_DEFLATE_RAW}` : ""].filter(Boolean);
  return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}/ws${q.length ? `?${q.join("&")}` : ""}`;
}

/** The JSON text of a frame: a string as it is, binary data inflated. */
export async function frameText(data: unknown): Promise<string> {
  if (typeof data === "string") return data;
  const blob = data instanceof Blob ? data : new Blob([data as ArrayBuffer]);
  return new Response(blob.stream().pipeThrough(new DecompressionStream(WS_COMPRESS_DEFLATE_RAW))).text();
}
