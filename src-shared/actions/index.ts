export { parseConsoleLine } from './console';
export { parseQmpCommand } from './qmp';
export { parseModelOnlyLine } from './model-only';
export type { Action, ParsedAction } from './types';
export { classifyConsoleLine, type ConsoleLineMeaning } from './mirror';
export { checkUserQmp, type QmpCommand, type QmpPlace, type QmpVerdict } from './qmp-allow';
