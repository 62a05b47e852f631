// A fresh, empty CIB as a new Pacemaker 2.1 cluster would write it.
import type { Cib } from "./types";

/** Schema written into new CIBs; Pacemaker 2.1.5's newest. */
export const DEFAULT_VALIDATE_WITH = "pacemaker-3.9";
/** Feature set of Pacemaker 2.1.5 (3.16.1; its tools reject updates from a newer one), whose tools are the compatibility yardstick. */
export const DEFAULT_CRM_FEATURE_SET = "3.16.1";

export function emptyCib(): Cib {
  return {
    attrs: {
      crm_feature_set: DEFAULT_CRM_FEATURE_SET,
      "validate-with": DEFAULT_VALIDATE_WITH,
      epoch: "0",
      num_updates: "0",
      admin_epoch: "0",
    },
    configuration: {
      crmConfig: [],
      nodes: [],
      resources: [],
      constraints: [],
      rscDefaults: [],
      opDefaults: [],
      unknown: [],
    },
    status: [],
  };
}
