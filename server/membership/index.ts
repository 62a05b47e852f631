// Membership, quorum and host settings: see each module's header for its API.
export * from "./membership";
export * from "./quorum";
export * from "./quorum-format";
export * from "./hosts";
export * from "./host-add";
export * from "./host-list";
