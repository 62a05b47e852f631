// pcs-semantics CIB operations (pure). See apply.ts for the single entry point.
export * from "./context";
export * from "./apply";
export * from "./resource";
export * from "./operation";
export * from "./node";
export * from "./property";
export * from "./constraint";
export * from "./group";
export * from "./rule";
