// A small RFC 6902 JSON Patch: diff(a, b) produces add/remove/replace
// operations turning a into b; applyPatch applies them (all six operations).
// Used for the WebSocket's versioned patches; the console imports applyPatch,
// so this file has no node-only imports.
//
// Arrays are diffed by common prefix and suffix, so inserting or deleting one
// element of a long list (2000 resources) produces one operation, not 2000.

import type { JsonPatchOp } from "./contract";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!Object.hasOwn(bo, k) || !deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** JSON-clean copy (drops undefined members), so patches carry only JSON. */
function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function diff(a: unknown, b: unknown, path = ""): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  diffInto(a, b, path, ops);
  return ops;
}

function diffInto(a: unknown, b: unknown, path: string, ops: JsonPatchOp[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) return diffArray(a, b, path, ops);
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      if (a[k] === undefined) continue;
      const p = `${path}/${escapePointer(k)}`;
      if (!Object.hasOwn(b, k) || b[k] === undefined) ops.push({ op: "remove", path: p });
      else diffInto(a[k], b[k], p, ops);
    }
    for (const k of Object.keys(b)) {
      if (b[k] === undefined) continue;
      if (!Object.hasOwn(a, k) || a[k] === undefined) ops.push({ op: "add", path: `${path}/${escapePointer(k)}`, value: clone(b[k]) });
    }
    return;
  }
  if (deepEqual(a, b)) return;
  ops.push({ op: "replace", path, value: clone(b) });
}

function diffArray(a: unknown[], b: unknown[], path: string, ops: JsonPatchOp[]): void {
  let start = 0;
  while (start < a.length && start < b.length && deepEqual(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && deepEqual(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const common = Math.min(endA - start, endB - start);
  for (let i = 0; i < common; i++) diffInto(a[start + i], b[start + i], `${path}/${start + i}`, ops);
  // remove surplus from the back so indexes stay valid
  for (let i = endA - 1; i >= start + common; i--) ops.push({ op: "remove", path: `${path}/${i}` });
  for (let i = start + common; i < endB; i++) ops.push({ op: "add", path: `${path}/${i}`, value: clone(b[i]) });
}

export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonPatchError";
  }
}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new JsonPatchError(`invalid JSON pointer "${path}"`);
  return path.slice(1).split("/").map(unescapePointer);
}

function getAt(doc: unknown, tokens: string[]): unknown {
  let cur: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw new JsonPatchError(`path /${tokens.join("/")} does not exist`);
  }
  return cur;
}

function arrayIndex(arr: unknown[], t: string, forAdd: boolean): number {
  if (forAdd && t === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(t)) throw new JsonPatchError(`invalid array index "${t}"`);
  const i = Number(t);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new JsonPatchError(`array index ${i} out of range`);
  return i;
}

/** Applies ops to a deep copy of doc and returns the result (doc is not modified). */
export function applyPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  let root: unknown = clone(doc);
  for (const op of ops) root = applyOne(root, op);
  return root as T;
}

function applyOne(root: unknown, op: JsonPatchOp): unknown {
  const tokens = parsePointer(op.path);
  switch (op.op) {
    case "add":
      return put(root, tokens, clone(op.value), true);
    case "replace":
      getAt(root, tokens);
      return put(root, tokens, clone(op.value), false);
    case "remove":
      return remove(root, tokens);
    case "move": {
      const v = getAt(root, parsePointer(op.from));
      return put(remove(root, parsePointer(op.from)), tokens, v, true);
    }
    case "copy":
      return put(root, tokens, clone(getAt(root, parsePointer(op.from))), true);
    case "test":
      if (!deepEqual(getAt(root, tokens), op.value)) throw new JsonPatchError(`test failed at ${op.path}`);
      return root;
  }
}

function put(root: unknown, tokens: string[], value: unknown, insert: boolean): unknown {
  if (tokens.length === 0) return value;
  const parent = getAt(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, insert);
    if (insert) parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (isObject(parent)) {
    // defineProperty: a "__proto__" key must stay a plain member
    Object.defineProperty(parent, last, { value, writable: true, enumerable: true, configurable: true });
  } else throw new JsonPatchError(`cannot set ${last} inside a non-container`);
  return root;
}

function remove(root: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) throw new JsonPatchError("cannot remove the whole document");
  const parent = getAt(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new JsonPatchError(`path /${tokens.join("/")} does not exist`);
  return root;
}

export type { Json };
