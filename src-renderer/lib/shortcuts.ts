// Keyboard shortcuts for the lab's main commands. Ctrl+Shift keeps them out
// of the guest console's way (a shell uses Ctrl+B, Ctrl+S and Ctrl+X itself).
export type Command = 'boot' | 'stop' | 'snapshot' | 'theme';

const KEYS: Record<string, Command> = { KeyB: 'boot', KeyX: 'stop', KeyS: 'snapshot', KeyL: 'theme' };

export const SHORTCUTS: { command: Command; keys: string }[] = Object.entries(KEYS).map(([code, command]) => ({
  command,
  keys: `Ctrl+Shift+${code.slice(3)}`,
}));

export function commandFor(e: {
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  code: string;
}): Command | undefined {
  if (!e.ctrlKey || !e.shiftKey || e.altKey || e.metaKey) return undefined;
  return KEYS[e.code];
}
