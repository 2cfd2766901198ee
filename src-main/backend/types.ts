// What a transport (Electron IPC, the browser-mode WebSocket) needs from the
// backend: one entry point for calls, one stream of events, and shutdown; and
// what a session tells its viewers.
import type { EventName, Events, Reply, SessionInfo, TimelineEntry } from '../../src-shared/api/contract';

export type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

export interface Backend {
  /** Validates the method name and its params against the contract, then runs it; never throws. */
  call(method: string, params: unknown): Promise<Reply<unknown>>;
  subscribe(listener: EventListener): () => void;
  /** Stops every VM this backend started and aborts its kernel build (quitting the app, closing the server). */
  stopAll(): Promise<void>;
}

/** What a session tells its viewers. */
export interface SessionEvents {
  state(info: SessionInfo): void;
  console(data: string): void;
  /** the screen a viewer starts over from: a guest restored at boot, once it runs */
  consoleReset(data: string): void;
  entry(entry: TimelineEntry): void;
  /** a rewind or a fork: the timeline as it now stands and the restored guest's console */
  reset(entries: TimelineEntry[], console: string): void;
  viewers(): number;
}
