// How many generated inputs each bad-input property tries (docs/reliability.md quotes these).
export const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 10_000);
/** 10,000 runs take 1 to 5 s alone; these are not timing tests, so a busy machine must not fail them. */
export const RUNS_TIMEOUT_MS = 60_000;
