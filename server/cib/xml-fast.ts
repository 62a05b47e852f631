// A fast reader for the XML Pacemaker writes, used before the strict saxes reader in xml.ts.
//
// A CIB's status section can be hundreds of megabytes of <lrm_rsc_op> elements; saxes reads
// them at ~20 MB/s, this reader at several times that, because it scans with indexOf and
// only looks at single characters inside tags. It accepts a deliberately small subset of
// XML 1.0: ASCII names, quoted attributes, the five predefined entities, character
// references, comments and an optional `<?xml version="1.0" ...?>` declaration. For any
// other document (DOCTYPE, CDATA, processing instructions, carriage returns, non-ASCII
// names, characters XML forbids ...) and for every malformed one it returns undefined, and
// the caller parses the text again with saxes, which gives the same tree or the precise
// error message. So for the documents it accepts it must build exactly the tree saxes would
// (same attribute values after normalisation, same trimmed text, same line numbers).

/** One element of the generic tree both readers build. */
export interface El {
  tag: string;
  attrs: Record<string, string>;
  children: El[];
  text?: string;
  line: number;
  /** what the nodeState hook made of this element (its children are then dropped) */
  early?: { value?: unknown; error?: unknown };
}

/**
 * Called for each <node_state> of the first <status> of a <cib> root as soon as it is read,
 * so that its (large) element subtree can be turned into the model and dropped right away
 * instead of staying alive until the whole document is read (less garbage-collector work).
 */
export type NodeStateHook = (el: El) => unknown;

/** Deeper than any CIB; keeps the recursive readers and writers far from the stack limit. */
export const MAX_DEPTH = 100;

/**
 * Attribute objects without Object.prototype in their chain (as saxes's Object.create(null)
 * objects: `attrs.constructor` is undefined), but with a normal prototype object so that V8
 * keeps them as fast objects with shared shapes instead of dictionaries.
 */
const NoProto = function (this: object) {} as unknown as new () => Record<string, string>;
NoProto.prototype = Object.create(null) as Record<string, string>;

// Characters XML 1.0 forbids anywhere, carriage returns (line-end normalisation is left to
// saxes), U+FFFE/U+FFFF, and (to keep this reader simple) any surrogate, i.e. characters
// beyond U+FFFF: one regular-expression scan over the text sends such documents to saxes.
const UNUSUAL = /[\0-\x08\x0B-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

const XML_DECL = /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/;

// character classes by code (ASCII only)
const NAME_START = new Uint8Array(128);
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) NAME_START[c] = 1;
  if (/[A-Za-z0-9_:.-]/.test(ch)) NAME_CHAR[c] = 1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9;
}

/** An XML 1.0 Char (the code points a character reference may name). */
function isXmlChar(cp: number): boolean {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const NO_CHILDREN = Object.freeze([]) as unknown as El[];

class Unsupported {}
const UNSUPPORTED = new Unsupported();

/**
 * Decodes the entity and character references in `s` (which contains "&").
 * Throws UNSUPPORTED on anything else (saxes then reports it).
 */
function decode(s: string): string {
  let out = "";
  let i = 0;
  for (;;) {
    const amp = s.indexOf("&", i);
    if (amp < 0) break;
    out += s.slice(i, amp);
    const semi = s.indexOf(";", amp + 1);
    if (semi < 0 || semi - amp > 12) throw UNSUPPORTED;
    const ref = s.slice(amp + 1, semi);
    switch (ref) {
      case "lt":
        out += "<";
        break;
      case "gt":
        out += ">";
        break;
      case "amp":
        out += "&";
        break;
      case "quot":
        out += '"';
        break;
      case "apos":
        out += "'";
        break;
      default: {
        let cp: number;
        if (/^#[0-9]+$/.test(ref)) cp = Number.parseInt(ref.slice(1), 10);
        else if (/^#x[0-9A-Fa-f]+$/.test(ref)) cp = Number.parseInt(ref.slice(2), 16);
        else throw UNSUPPORTED; // undeclared entity or bad reference: saxes reports it
        if (!isXmlChar(cp)) throw UNSUPPORTED;
        out += String.fromCodePoint(cp);
      }
    }
    i = semi + 1;
  }
  out += s.slice(i);
  return out;
}

/** Attribute-value normalisation for values without references: tab and line feed become spaces. */
function spaces(s: string): string {
  return s.replace(/[\t\n]/g, " ");
}

/** The element tree of `xml` (roots in document order), or undefined when saxes must read it. */
export function fastParseTree(xml: string, nodeState?: NodeStateHook): El[] | undefined {
  try {
    return parse(xml, nodeState);
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

function parse(xml: string, nodeState?: NodeStateHook): El[] {
  if (UNUSUAL.test(xml) || xml.includes("]]>")) throw UNSUPPORTED;
  const n = xml.length;
  let pos = 0;
  if (xml.startsWith("<?xml")) {
    const m = XML_DECL.exec(xml);
    if (!m) throw UNSUPPORTED;
    pos = m[0].length;
  }
  const roots: El[] = [];
  const stack: El[] = [];
  const texts: string[] = [];
  // line bookkeeping: `line` is 1 + the number of line feeds before `nextNl`, the next one
  let line = 1;
  let nextNl = xml.indexOf("\n");
  const lineAt = (p: number): number => {
    while (nextNl >= 0 && nextNl < p) {
      line++;
      nextNl = xml.indexOf("\n", nextNl + 1);
    }
    return line;
  };
  let rootClosed = false;
  let firstStatus: El | undefined;
  let statusSeen = false;
  // Tag and attribute-name strings are made once per distinct name, not once per element
  // (a large status section repeats the same dozen names a million times).
  const tagsByLength: string[][] = [];
  const cachedTag = (start: number, end: number): string => {
    const len = end - start;
    const bucket = (tagsByLength[len] ??= []);
    for (const t of bucket) if (xml.startsWith(t, start)) return t;
    const t = xml.slice(start, end);
    bucket.push(t);
    return t;
  };
  // per tag: the attribute names and values of the previous element with that tag, and how
  // many of its leading names are known to be pairwise distinct
  // The next "<", "&", tab and line feed at or after the last attribute value checked (n:
  // none): found with indexOf, each one moving forward only, so the text between is not
  // looked at character by character (for values unlike the previous element's)
  let nextLt = -1;
  let nextAmp = -1;
  let nextTab = -1;
  let nextLf = -1;
  const at = (i: number): number => (i < 0 ? n : i);
  const shapes = new Map<string, { names: string[]; values: string[]; distinct: number }>();

  while (pos < n) {
    const lt = xml.indexOf("<", pos);
    const end = lt < 0 ? n : lt;
    if (end > pos) {
      // character data between markup
      let raw = xml.slice(pos, end);
      if (stack.length === 0) {
        for (let i = 0; i < raw.length; i++) if (!isSpace(raw.charCodeAt(i))) throw UNSUPPORTED; // text outside the root
      } else {
        if (raw.includes("&")) raw = decode(raw);
        const d = stack.length - 1;
        if (texts[d] !== "") texts[d] += raw;
        else {
          // leading whitespace is trimmed away in the end, so only keep text from its first non-space
          for (let i = 0; i < raw.length; i++) {
            if (!isSpace(raw.charCodeAt(i))) {
              texts[d] = raw;
              break;
            }
          }
        }
      }
    }
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 47 /* / */) {
      // end tag
      const el = stack.pop();
      if (!el) throw UNSUPPORTED;
      const tag = el.tag;
      if (!xml.startsWith(tag, lt + 2)) throw UNSUPPORTED;
      let p = lt + 2 + tag.length;
      let c = xml.charCodeAt(p);
      while (isSpace(c)) c = xml.charCodeAt(++p);
      if (c !== 62 /* > */) throw UNSUPPORTED;
      closeElement(el, texts[stack.length]);
      if (stack.length === 0) rootClosed = true;
      else if (nodeState && stack.length === 2 && tag === "node_state" && stack[1] === firstStatus) {
        // errors are kept and raised where the caller would have met them
        try {
          el.early = { value: nodeState(el) };
        } catch (error) {
          el.early = { error };
        }
        el.children = [];
      }
      pos = p + 1;
      continue;
    }
    if (c1 === 33 /* ! */) {
      if (!xml.startsWith("<!--", lt)) throw UNSUPPORTED; // DOCTYPE, CDATA: saxes
      const close = xml.indexOf("--", lt + 4);
      if (close < 0 || xml.charCodeAt(close + 2) !== 62) throw UNSUPPORTED; // "--" inside a comment, or unterminated
      pos = close + 3;
      continue;
    }
    // start tag
    if (!(c1 < 128 && NAME_START[c1])) throw UNSUPPORTED; // processing instruction, non-ASCII name, "< "...
    if (rootClosed) throw UNSUPPORTED; // a second root
    let p = lt + 2;
    let c = xml.charCodeAt(p);
    while (c < 128 && NAME_CHAR[c]) c = xml.charCodeAt(++p);
    const tag = cachedTag(lt + 1, p);
    // saxes gives an element the line of the character just after its name
    const line = lineAt(p + 1);
    let shape = shapes.get(tag);
    if (!shape) shapes.set(tag, (shape = { names: [], values: [], distinct: 0 }));
    const attrs = new NoProto();
    // attributes
    let sameNames = true; // every name so far is the previous element's name at that position
    let k = 0;
    for (; ; k++) {
      if (c === 62 /* > */ || c === 47 /* / */) break;
      if (!isSpace(c)) throw UNSUPPORTED; // no space between name/attributes, non-ASCII name char, end of text
      do c = xml.charCodeAt(++p);
      while (isSpace(c));
      if (c === 62 || c === 47) break;
      if (!(c < 128 && NAME_START[c])) throw UNSUPPORTED;
      // the previous element's name at this position, when it is the whole name here (no
      // further name character after it), else the name is scanned and made a string
      let name = shape.names[k];
      if (name !== undefined && xml.startsWith(name, p) && !((c = xml.charCodeAt(p + name.length)) < 128 && NAME_CHAR[c])) {
        p += name.length;
      } else {
        const nameStart = p;
        do c = xml.charCodeAt(++p);
        while (c < 128 && NAME_CHAR[c]);
        name = xml.slice(nameStart, p);
        shape.names[k] = name;
        sameNames = false;
      }
      while (isSpace(c)) c = xml.charCodeAt(++p);
      if (c !== 61 /* = */) throw UNSUPPORTED;
      do c = xml.charCodeAt(++p);
      while (isSpace(c));
      if (c !== 34 && c !== 39) throw UNSUPPORTED; // unquoted value
      const q = xml.indexOf(c === 34 ? '"' : "'", p + 1);
      if (q < 0) throw UNSUPPORTED;
      // the same attribute of the previous element with this tag often has the same value
      // (rc-code="0", operation="monitor" ...): reuse that string (cached only when it needed no decoding)
      let value = shape.values[k];
      if (value === undefined || value.length !== q - p - 1 || !xml.startsWith(value, p + 1)) {
        // a "<" in the value: saxes reports it; "&", tab, line feed: decoded / normalised
        const from = p + 1;
        if (nextLt < from) nextLt = at(xml.indexOf("<", from));
        if (nextLt < q) throw UNSUPPORTED;
        if (nextAmp < from) nextAmp = at(xml.indexOf("&", from));
        if (nextTab < from) nextTab = at(xml.indexOf("\t", from));
        if (nextLf < from) nextLf = at(xml.indexOf("\n", from));
        const special = nextAmp < q || nextTab < q || nextLf < q;
        value = xml.slice(from, q);
        if (special) value = value.includes("&") ? decodeAttr(value) : spaces(value);
        else shape.values[k] = value;
      }
      // duplicate: saxes reports it (no need to look when the names so far are a known-distinct prefix)
      if (!(sameNames && k < shape.distinct) && (attrs[name] !== undefined || name === "__proto__")) throw UNSUPPORTED;
      attrs[name] = value;
      p = q + 1;
      c = xml.charCodeAt(p);
    }
    // this element's names are now shape.names[0..k-1], and they are distinct (checked above)
    shape.distinct = k;
    // a self-closing element never gets children: they all share one frozen empty list
    const el: El = { tag, attrs, children: c === 47 ? NO_CHILDREN : [], line };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else roots.push(el);
    if (stack.length === 1 && tag === "status" && !statusSeen && stack[0].tag === "cib") {
      statusSeen = true; // only the first <status> is the status section (parseCibXml keeps others raw)
      if (c !== 47) firstStatus = el;
    }
    if (stack.length >= MAX_DEPTH) throw UNSUPPORTED; // saxes path raises the depth error
    if (c === 47) {
      if (xml.charCodeAt(p + 1) !== 62) throw UNSUPPORTED;
      // self-closing: no text
      if (stack.length === 0) rootClosed = true;
      pos = p + 2;
    } else {
      texts[stack.length] = "";
      stack.push(el);
      pos = p + 1;
    }
  }
  if (stack.length || roots.length === 0) throw UNSUPPORTED; // unclosed elements, no root
  return roots;
}

/** Attribute value with references: normalise literal tabs/line feeds first, then decode. */
function decodeAttr(raw: string): string {
  return decode(spaces(raw));
}

function closeElement(el: El, t: string | undefined): void {
  if (t) {
    const trimmed = t.trim();
    if (trimmed) el.text = trimmed;
  }
}
