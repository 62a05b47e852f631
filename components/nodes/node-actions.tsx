"use client";
import type { NodeView } from "@/server/scheduler/types";
import { useCan } from "../live-store";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";

export function StandbyButton({ node }: { node: NodeView }) {
  const can = useCan("node-standby");
  const propose = useProposeChange();
  if (!can) return null;
  const on = !node.standby;
  const id = `${on ? "standby" : "unstandby"}-${node.uname}`;
  return (
    <Button
      data-testid={id}
      onClick={() => propose({ op: "node-standby", nodes: [node.uname], on }, `${on ? "Put" : "Take"} ${node.uname} ${on ? "into" : "out of"} standby`)}
      title={on ? "Move all resources off this node and keep them off" : "Allow resources on this node again"}
    >
      {on ? "Standby" : "Unstandby"}
    </Button>
  );
}

export function MaintenanceButton({ node }: { node: NodeView }) {
  const can = useCan("node-maintenance");
  const propose = useProposeChange();
  if (!can) return null;
  const on = !node.maintenance;
  return (
    <Button
      data-testid={`${on ? "maintenance" : "unmaintenance"}-${node.uname}`}
      onClick={() =>
        propose({ op: "node-maintenance", nodes: [node.uname], on }, `${on ? "Put" : "Take"} ${node.uname} ${on ? "into" : "out of"} maintenance`)
      }
      title={on ? "Stop managing resources on this node (they keep running, unmonitored)" : "Manage this node's resources again"}
    >
      {on ? "Maintenance" : "Unmaintenance"}
    </Button>
  );
}
