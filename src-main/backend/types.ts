// What a transport (Electron IPC, the browser-mode WebSocket) needs from the
// backend: one entry point for calls, one stream of events, and shutdown.
import type { EventName, Events, Reply } from '../../src-shared/api/contract';

export type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

export interface Backend {
  /** Validates the method name and its params against the contract, then runs it; never throws. */
  call(method: string, params: unknown): Promise<Reply<unknown>>;
  subscribe(listener: EventListener): () => void;
  /** Stops every VM this backend started and aborts its kernel build (quitting the app, closing the server). */
  stopAll(): Promise<void>;
}
