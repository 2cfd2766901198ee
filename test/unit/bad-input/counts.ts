// How many generated inputs each bad-input property tries (docs/reliability.md quotes these).
export const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 10_000);
