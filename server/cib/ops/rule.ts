// pcs rule expressions for `constraint location R rule ...`:
//   defined|not_defined ATTR
//   ATTR lt|gt|lte|gte|eq|ne [string|integer|number|version] VALUE
//   date gt|lt DATE          date in_range DATE to DATE
//   joined by one kind of `and` / `or` (no parentheses in this version)
import { CibError } from "../errors";
import type { DateExpression, Expression, Rule } from "../types";

const CMP = new Set(["lt", "gt", "lte", "gte", "eq", "ne"]);
const TYPES = new Set(["string", "integer", "number", "version"]);

export function parseRuleExpression(tokens: string[], ruleId: string): Rule {
  if (!tokens.length) throw new CibError("the rule has no expression", { field: "rule" });
  const parts: string[][] = [[]];
  let boolOp: string | undefined;
  for (const t of tokens) {
    if (t === "and" || t === "or") {
      if (boolOp && boolOp !== t) throw new CibError("mixing 'and' and 'or' needs parentheses, which this version does not read: use one kind", { field: "rule" });
      boolOp = t;
      parts.push([]);
    } else if (t === "(" || t === ")") {
      throw new CibError("parentheses in rules are not supported yet", { field: "rule" });
    } else parts[parts.length - 1].push(t);
  }
  const exprs = parts.map((p, i) => parseOne(p, i === 0 ? `${ruleId}-expr` : `${ruleId}-expr-${i}`));
  return { kind: "rule", id: ruleId, ...(boolOp ? { booleanOp: boolOp } : {}), expressions: exprs };
}

function parseOne(p: string[], id: string): Expression | DateExpression {
  const bad = (why: string): never => {
    throw new CibError(`'${p.join(" ")}' is not a valid rule expression: ${why}`, { field: "rule" });
  };
  if (!p.length) bad("empty expression next to and/or");
  if (p[0] === "defined" || p[0] === "not_defined") {
    if (p.length !== 2) bad(`use ${p[0]} ATTRIBUTE`);
    return { kind: "expression", id, attribute: p[1], operation: p[0] };
  }
  if (p[0] === "date") {
    if (p[1] === "gt" && p.length === 3) return { kind: "date_expression", id, operation: "gt", start: p[2] };
    if (p[1] === "lt" && p.length === 3) return { kind: "date_expression", id, operation: "lt", end: p[2] };
    if (p[1] === "in_range" && p.length === 5 && p[3] === "to") return { kind: "date_expression", id, operation: "in_range", start: p[2], end: p[4] };
    bad("use date gt DATE, date lt DATE or date in_range DATE to DATE");
  }
  if (p.length < 3 || !CMP.has(p[1])) bad("use ATTRIBUTE lt|gt|lte|gte|eq|ne [string|integer|number|version] VALUE");
  let type: string | undefined;
  let value: string;
  if (p.length === 4) {
    if (!TYPES.has(p[2])) bad(`unknown type '${p[2]}' (string, integer, number, version)`);
    type = p[2];
    value = p[3];
  } else if (p.length === 3) value = p[2];
  else bad("too many words");
  return { kind: "expression", id, attribute: p[0], operation: p[1], value: value!, ...(type ? { type } : {}) };
}
