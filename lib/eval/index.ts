/** lib/eval — benchmark sets and evaluation runs (on the one job engine), their results and comparisons. */
export * from "./benchmarks.ts";
export * from "./handler.ts";
export * from "./runs.ts";
export * from "./breakdown.ts";
export * from "./compare.ts";
export * from "./format.ts";
