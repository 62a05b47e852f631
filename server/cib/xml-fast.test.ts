// The fast reader must agree with saxes: whenever it accepts a document, saxes accepts it
// too and builds the same tree (tags, attribute values, text, line numbers); every
// document saxes rejects, the fast reader declines (so the caller reports saxes's error).
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fastParseTree, type El } from "./xml-fast";
import { parseCibXml, saxesParseTree } from "./xml";
import { CibError } from "./errors";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const casesDir = path.resolve(repoRoot, "../shared/pacemaker-scheduler/xml");

function plain(els: El[]): unknown {
  return els.map((e) => ({ tag: e.tag, attrs: { ...e.attrs }, text: e.text, line: e.line, children: plain(e.children) }));
}

/** saxes's tree, or "error" */
function strict(xml: string): unknown {
  try {
    return plain(saxesParseTree(xml));
  } catch {
    return "error";
  }
}

function agree(xml: string): "fast" | "fallback" {
  const fast = fastParseTree(xml);
  if (fast === undefined) return "fallback";
  expect(plain(fast)).toEqual(strict(xml));
  return "fast";
}

describe("fast XML reader against saxes", () => {
  it("reads every Pacemaker regression CIB and the fixtures exactly as saxes does, without falling back", () => {
    const files = [
      ...readdirSync(casesDir).map((f) => path.join(casesDir, f)),
      ...readdirSync(path.join(here, "fixtures")).map((f) => path.join(here, "fixtures", f)),
    ].filter((f) => f.endsWith(".xml"));
    expect(files.length).toBeGreaterThan(150);
    for (const f of files) {
      const xml = readFileSync(f, "utf8");
      expect(agree(xml), f).toBe("fast");
    }
  });

  it("handles the forms it supports like saxes (entities, references, normalisation, comments, lines)", () => {
    const docs = [
      `<?xml version="1.0" encoding="UTF-8"?>\n<a x="1"/>`,
      `<?xml version='1.0' standalone='yes' ?><a/>`,
      `<a\n  b = '1\n2&#10;x\ty' c="&lt;&gt;&amp;&quot;&apos;&#x41;&#66;"><c\n/>\n z <!-- note - ->- -->q<d/>\n\n<e>  t &amp; u </e></a>\n<!-- after -->\n`,
      `<a><b>x</b>  <!----> y <b/>z</a>`,
      `<a x="é€ & more"/>`.replace("& more", "&amp; more"),
      `<a x="&#233;&#x20AC;">été</a  >`,
      `<cib:a xmlns:cib="u" cib:b="1"/>`,
      `\n\n  <a/>  \n`,
      // repeated tags and attribute names with equal, different and decoded values (the reader reuses strings)
      `<a><o x="v" y="w"/><o x="v" y="w2"/><o y="v" x="w"/><o x="v&amp;" y="w"/><o x="v\tq"/><o x="v\tq"/><o x="v"/><oo x="v"/><p x='v'/></a>`,
      // references, tabs and line feeds in values further on (the reader keeps the next position of each)
      `<r><a x="1&amp;" y="2"/><a x="3" y="&lt;4"/><a x="5\t" y="6&#9;"/>\n<b z="a\tb"/><b z="c"/><b z="d\ne&amp;"/><b z="f\n"/></r>`,
      // an attribute name that starts with (or is a prefix of) the previous same-tag element's name there
      `<a><o x="1" yy="2"/><o xz="1" y="2"/><o x="1" y="2"/><o x ="1" y= "2" /><o x	= "3"/><o x.y="4"/><o x-="5" x="6"/><o x:z="7"/></a>`,
    ];
    for (const d of docs) expect(agree(d), d).toBe("fast");
  });

  it("leaves to saxes what it does not read itself, and declines every malformed document", () => {
    const docs = [
      `<!DOCTYPE a><a/>`,
      `<a><![CDATA[x]]></a>`,
      `<a><?pi x?></a>`,
      `<a>\r\n</a>`,
      `<a x="😀"/>`,
      `<café/>`,
      `<a x="1" x="2"/>`,
      // duplicates after an element of the same tag whose names they repeat (the reader skips the
      // duplicate check for a known-distinct prefix of the previous element's names)
      `<r><a x="1" y="2"/><a x="1" x="2"/></r>`,
      `<r><a x="1" y="2"/><a x="1" y="2" x="3"/></r>`,
      `<r><a x="1" y="2" z="3"/><a x="1"/><a x="1" y="2" y="3"/></r>`,
      // a "<" in a value after other values
      `<r><a x="1" y="2"/><a x="3" y="<"/></r>`,
      `<r><b x="&amp;"/><b x="1"/>\n<b x="a<"/></r>`,
      // the previous element's name, then no "=" (or a character no ASCII name has)
      `<r><a x="1"/><a x"1"/></r>`,
      `<r><a x="1"/><a x/></r>`,
      `<r><a x="1"/><a xé="1"/></r>`,
      `<a x="1"y="2"/>`,
      `<a x=1/>`,
      `<a x="<"/>`,
      `<a>&nbsp;</a>`,
      `<a>&#0;</a>`,
      `<a>&#xD800;</a>`,
      `<a>x]]>y</a>`,
      `<a><b></a></b>`,
      `<a>`,
      `<a/><b/>`,
      `text<a/>`,
      `<a/>text`,
      `<a><!-- x -- y --></a>`,
      `<a><!-- x ---></a>`,
      `< a/>`,
      `<a / >`,
      `<a __proto__="x"/>`,
      `<?xml version="1.1"?><a/>`,
      ` <?xml version="1.0"?><a/>`,
      `<a>\u0001</a>`,
      "",
    ];
    for (const d of docs) expect(fastParseTree(d), d).toBeUndefined();
  });

  it("never accepts what saxes rejects, nor builds a different tree (random edits of a small CIB)", () => {
    const base =
      `<?xml version="1.0"?>\n<cib a="1" b='x&amp;y'>\n  <configuration>\n    <crm_config/>\n  </configuration>\n` +
      `  <status>\n    <node_state id="1">\n      <lrm_rsc_op id="r_last_0" operation="start" call-id="3"\n        rc-code="0"/>\n` +
      `    </node_state>\n    <!-- c -->\n    <x>t&#10;u</x>\n  </status>\n</cib>\n`;
    const pieces = ["<", ">", "/", "&", ";", "#", "x", "a", "-", "!", "?", "=", '"', "'", " ", "\n", "\t", "\r", "&amp;", "&#10;", "&#x41;", "<!--", "-->", "]]>", "é", "😀", "\u0001", "<b/>", "</x>", "<x>"];
    let fast = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length), fc.nat(3), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 3 }),
        (edits) => {
          let s = base;
          for (const [at, del, ins] of edits) {
            const i = Math.min(at, s.length);
            s = s.slice(0, i) + ins + s.slice(i + del);
          }
          if (agree(s) === "fast") fast++;
        },
      ),
      { numRuns: 3000 },
    );
    expect(fast).toBeGreaterThan(100); // the comparison actually ran on accepted documents
  });

  it("parseCibXml gives the same model or the same error with the fast reader as through saxes alone", () => {
    // a DOCTYPE (on the first line, so line numbers stay) sends a document to saxes
    const outcome = (xml: string): unknown => {
      try {
        return parseCibXml(xml);
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    };
    const same = (xml: string) => expect(outcome(xml), xml).toEqual(outcome(`<!DOCTYPE cib>${xml}`));
    for (const f of readdirSync(casesDir).slice(0, 40)) same(readFileSync(path.join(casesDir, f), "utf8"));
    const ns = (id: string, body = "") =>
      `<node_state id="${id}" uname="n${id}"><lrm id="${id}"><lrm_resources><lrm_resource id="r" class="ocf" provider="p" type="T">` +
      `<lrm_rsc_op id="r_last_0" operation="start" interval="0" call-id="1" rc-code="0" op-status="0"/>${body}</lrm_resource></lrm_resources></lrm></node_state>`;
    const cib = (conf: string, status: string) => `<cib epoch="1">\n<configuration>${conf}<nodes/><resources/><constraints/></configuration>\n${status}\n</cib>`;
    const docs = [
      cib("<crm_config/>", `<status>${ns("1")}${ns("2")}</status>`),
      // a second <status> is kept raw, with its node_states whole
      cib("<crm_config/>", `<status>${ns("1")}</status><status>${ns("2")}</status>`),
      cib("<crm_config/>", `<status/><status>${ns("2")}</status>`),
      // errors in the status section, and which error wins when there are several
      cib("<crm_config/>", `<status>${ns("1", `<lrm_rsc_op id="x" operation="stop"/>`)}</status>`),
      cib(`<crm_config><bad/></crm_config>`, `<status>${ns("1", `<lrm_rsc_op id="x"/>`)}</status>`),
      cib("<crm_config/>", `<status a="1">${ns("1", `<lrm_rsc_op id="x"/>`)}</status>`),
      cib("<crm_config/>", `<status>${ns("1", `<lrm_rsc_op id="x"/>`)}<other/></status>`),
      cib("<crm_config/>", `<status>${ns("1", `<lrm_rsc_op operation="x"/>`)}${ns("2", `<lrm_rsc_op id="y"/>`)}</status>`),
      `<cib>${`<status>${ns("1", `<lrm_rsc_op id="x"/>`)}</status>`}</cib>`,
      `<other><status>${ns("1")}</status></other>`,
    ];
    for (const d of docs) same(d);
  });

  it("parseCibXml still names the line of malformed XML (through saxes)", () => {
    expect(() => parseCibXml(`<cib>\n  <configuration>\n  </configuratio>\n</cib>`)).toThrow(CibError);
    expect(() => parseCibXml(`<cib>\n  <configuration>\n  </configuratio>\n</cib>`)).toThrow(/line 3/);
  });
});
