export { parseConsoleLine } from './console';
export { parseQmpCommand } from './qmp';
export type { Action, ParsedAction } from './types';
