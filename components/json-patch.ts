// RFC 6902 JSON Patch, applied immutably: every object on a changed path is
// copied, everything else is shared with the previous document. React views can
// then skip work for parts whose reference did not change.

export type PatchOp =
  | { op: "add"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "replace"; path: string; value: unknown }
  | { op: "move"; from: string; path: string }
  | { op: "copy"; from: string; path: string }
  | { op: "test"; path: string; value: unknown };

export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}

type Container = Record<string, unknown> | unknown[];

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new PatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function isContainer(v: unknown): v is Container {
  return typeof v === "object" && v !== null;
}

function shallowCopy(c: Container): Container {
  return Array.isArray(c) ? c.slice() : { ...c };
}

function arrayIndex(arr: unknown[], token: string, forInsert: boolean): number {
  if (forInsert && token === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`invalid array index "${token}"`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) throw new PatchError(`array index ${i} out of range`);
  return i;
}

function getAt(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)];
    else if (isContainer(cur) && Object.prototype.hasOwnProperty.call(cur, t)) cur = (cur as Record<string, unknown>)[t];
    else throw new PatchError(`path "/${tokens.join("/")}" does not exist`);
  }
  return cur;
}

/** Copy the containers along `parentTokens` and hand the (copied) parent to `edit`. */
function editParent(doc: unknown, parentTokens: string[], edit: (parent: Container) => void): unknown {
  if (!isContainer(doc)) throw new PatchError("cannot patch inside a non-container");
  const root = shallowCopy(doc);
  let cur: Container = root;
  for (const t of parentTokens) {
    const child = Array.isArray(cur) ? cur[arrayIndex(cur, t, false)] : (cur as Record<string, unknown>)[t];
    if (!isContainer(child)) throw new PatchError(`path segment "${t}" is not an object or array`);
    const copy = shallowCopy(child);
    if (Array.isArray(cur)) cur[Number(t)] = copy;
    else (cur as Record<string, unknown>)[t] = copy;
    cur = copy;
  }
  edit(cur);
  return root;
}

function add(doc: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const key = tokens[tokens.length - 1];
  return editParent(doc, tokens.slice(0, -1), (parent) => {
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
    else (parent as Record<string, unknown>)[key] = value;
  });
}

function remove(doc: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) throw new PatchError("cannot remove the whole document");
  getAt(doc, tokens); // must exist
  const key = tokens[tokens.length - 1];
  return editParent(doc, tokens.slice(0, -1), (parent) => {
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
    else delete (parent as Record<string, unknown>)[key];
  });
}

function replace(doc: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  getAt(doc, tokens);
  const key = tokens[tokens.length - 1];
  return editParent(doc, tokens.slice(0, -1), (parent) => {
    if (Array.isArray(parent)) parent[arrayIndex(parent, key, false)] = value;
    else (parent as Record<string, unknown>)[key] = value;
  });
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Apply `ops` to `doc` without mutating it. Throws PatchError when an op does not fit the document. */
export function applyPatch<T>(doc: T, ops: readonly PatchOp[]): T {
  let cur: unknown = doc;
  for (const op of ops) {
    const tokens = parsePointer(op.path);
    switch (op.op) {
      case "add":
        cur = add(cur, tokens, op.value);
        break;
      case "remove":
        cur = remove(cur, tokens);
        break;
      case "replace":
        cur = replace(cur, tokens, op.value);
        break;
      case "move": {
        const from = parsePointer(op.from);
        const value = getAt(cur, from);
        cur = add(remove(cur, from), tokens, value);
        break;
      }
      case "copy":
        cur = add(cur, tokens, structuredClone(getAt(cur, parsePointer(op.from))));
        break;
      case "test":
        if (!deepEqual(getAt(cur, tokens), op.value)) throw new PatchError(`test failed at "${op.path}"`);
        break;
      default:
        throw new PatchError(`unknown patch op ${JSON.stringify((op as { op: unknown }).op)}`);
    }
  }
  return cur as T;
}
