// Fencing: devices (which device fences which node), the fencer, history. See each module's header.
export * from "./devices";
export * from "./fencer";
export * from "./history";
export { runLocal } from "./local-runner";
export { ControllerTransport } from "./controller-transport";
