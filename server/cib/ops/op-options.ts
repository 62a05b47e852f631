// The pcs operation options and their checks, shared by `resource create ... op`,
// `resource op add` and the in-place `resource op update`, so every path accepts
// and refuses the same values with the same message.
import { CibError } from "../errors";
import { isValidBoolean, isValidDuration } from "../values";

export const OP_NAMES = new Set([
  "start",
  "stop",
  "monitor",
  "promote",
  "demote",
  "notify",
  "migrate_to",
  "migrate_from",
  "reload",
  "reload-agent",
  "validate-all",
  "status",
]);
/** op attributes pcs accepts (OCF_CHECK_LEVEL becomes an instance attribute of the op) */
export const OP_ATTRS = new Set([
  "id",
  "interval",
  "timeout",
  "role",
  "on-fail",
  "enabled",
  "record-pending",
  "start-delay",
  "interval-origin",
  "description",
  "OCF_CHECK_LEVEL",
]);
export const ON_FAIL = new Set(["ignore", "block", "stop", "restart", "standby", "fence", "restart-container", "demote"]);
export const ROLES = new Set(["Stopped", "Started", "Promoted", "Unpromoted", "Master", "Slave"]);

export function checkOpName(name: string): void {
  if (!OP_NAMES.has(name)) throw new CibError(`'${name}' is not a valid operation name (use ${[...OP_NAMES].join(", ")})`, { field: "op" });
}

/**
 * One option of operation `opName`. `field` is what the error names (the
 * create form says "op monitor interval", the operation editor "interval").
 * An empty value means "remove"; only interval cannot be removed.
 */
export function checkOpOption(name: string, opName: string, v: string, field: string = name): void {
  if (!OP_ATTRS.has(name))
    throw new CibError(`${name} is not a valid op option (use ${[...OP_ATTRS].filter((x) => x !== "id").join(", ")})`, { field, code: "bad-op-option" });
  if (v === "") {
    if (name === "interval") throw new CibError(`interval of op ${opName} cannot be removed (use 0s for none)`, { field });
    return;
  }
  if ((name === "interval" || name === "timeout" || name === "start-delay") && !isValidDuration(v))
    throw new CibError(`'${v}' is not a valid ${name} value for op ${opName}: use e.g. 10s, 1min, 500ms`, { field, code: "bad-duration" });
  if (name === "on-fail" && !ON_FAIL.has(v)) throw new CibError(`'${v}' is not a valid on-fail value, use ${[...ON_FAIL].join(", ")}`, { field });
  if (name === "role" && !ROLES.has(v)) throw new CibError(`'${v}' is not a valid role value, use Stopped, Started, Promoted, Unpromoted`, { field });
  if ((name === "enabled" || name === "record-pending") && !isValidBoolean(v)) throw new CibError(`'${v}' is not a valid ${name} value, use true or false`, { field });
  if (name === "OCF_CHECK_LEVEL" && !/^\d+$/.test(v)) throw new CibError(`'${v}' is not a valid OCF_CHECK_LEVEL, use a number (0, 10, 20)`, { field });
}
