// The seven stages of the chain, as StageRuntime workers.
