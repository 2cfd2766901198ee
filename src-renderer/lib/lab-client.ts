// The renderer's only way to the backend: window.lab in Electron (the preload's
// contract surface), otherwise the browser-mode WebSocket with the page's token.
import type {
  CallName,
  EventName,
  Events,
  LabApi,
  Params,
  Reply,
  Result,
  WireMessage,
} from '../../src-shared/api/contract';

declare global {
  interface Window {
    lab?: LabApi;
  }
}

type Listener = (payload: unknown) => void;

export class SocketLab implements LabApi {
  private ws: WebSocket;
  private nextId = 1;
  private pending = new Map<number, (r: Reply<unknown>) => void>();
  private listeners = new Map<string, Set<Listener>>();
  private opened: Promise<void>;
  onClose?: (why: string) => void;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.addEventListener('open', () => resolve(), { once: true });
      this.ws.addEventListener(
        'error',
        () => reject(new Error('the lab server refused the connection (wrong token, or the server is gone)')),
        { once: true },
      );
    });
    this.ws.addEventListener('message', (e) => this.receive(String(e.data)));
    this.ws.addEventListener('close', (e) => {
      for (const done of this.pending.values())
        done({ ok: false, error: { code: 'failed', message: 'the connection to the lab server closed' } });
      this.pending.clear();
      this.onClose?.(e.reason || `closed (${e.code})`);
    });
  }

  private receive(text: string): void {
    let msg: WireMessage;
    try {
      msg = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    if (msg.type === 'reply') {
      this.pending.get(msg.id)?.(msg.reply);
      this.pending.delete(msg.id);
    } else if (msg.type === 'event') {
      for (const l of this.listeners.get(msg.name) ?? []) l(msg.payload);
    }
  }

  async call<C extends CallName>(method: C, params: Params<C>): Promise<Reply<Result<C>>> {
    try {
      await this.opened;
    } catch (e) {
      return { ok: false, error: { code: 'failed', message: (e as Error).message } };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Reply<unknown>) => void);
      this.ws.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }
}

const TOKEN_KEY = 'pmem-lab-token';

/**
 * The API token: from the URL `pmem-lab serve` printed, kept in localStorage so a
 * reload or a second tab still connects. localStorage belongs to this origin,
 * port included (unlike cookies, which every server on 127.0.0.1 receives), and
 * the token leaves the address bar so it is not shown or bookmarked.
 */
export function pageToken(): string {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given !== null) {
    localStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return given;
  }
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

/** The contract object for this page: Electron's preload surface, or a socket to the server that served the page. */
export function connectLab(): LabApi {
  if (window.lab) return window.lab;
  const ws = new URL('/api', location.href);
  ws.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  ws.search = `?token=${encodeURIComponent(pageToken())}`;
  return new SocketLab(ws.href);
}
