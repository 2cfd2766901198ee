// /proc/iomem as the kernel prints it (kernel/resource.c r_show): one line per
// resource, depth-first, two spaces of indent per level (at most 5 levels),
// start and end as at least 8 lowercase hex digits.
import type { IomemLine } from '../../snapshot/types';
import type { Why } from '../why';
import { walk, type Resource } from './resource';

export function iomemLines(root: Resource): { line: IomemLine; why?: Why }[] {
  const out: { line: IomemLine; why?: Why }[] = [];
  for (const { res, depth } of walk(root)) {
    out.push({ line: { depth, start: res.start, end: res.end, name: res.name }, ...(res.why ? { why: res.why } : {}) });
  }
  return out;
}

const DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Two hex digits per byte value, as char codes: hi << 8 | lo. */
const PAIR = Uint16Array.from({ length: 256 }, (_, i) => (DIGIT[i >> 4]! << 8) | DIGIT[i & 15]!);
// A web platform API in every runtime we run in (Node, browsers, Electron); the
// pure ES2022 lib has no type for it.
const Decoder = (globalThis as unknown as { TextDecoder: new () => { decode(b: Uint8Array): string } }).TextDecoder;

/** Grown once and kept: allocating megabytes per print invites a full garbage collection. */
let scratch = new Uint8Array(1 << 16);

/** Bytes into one buffer, decoded once: trees reach 100,000 lines, and small strings joined cost far more. */
class Writer {
  buf = scratch;
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = scratch = next;
  }

  hex(n: number): void {
    this.room(16);
    let hi = Math.floor(n / 4294967296);
    let digits = 0;
    for (let h = hi; h > 0; h = Math.floor(h / 16)) digits++;
    for (let k = digits - 1; k >= 0; k--) {
      this.buf[this.len + k] = DIGIT[hi & 15]!;
      hi = Math.floor(hi / 16);
    }
    this.len += digits;
    const lo = n >>> 0;
    const b = this.buf;
    let at = this.len;
    for (let shift = 24; shift >= 0; shift -= 8) {
      const p = PAIR[(lo >>> shift) & 255]!;
      b[at++] = p >> 8;
      b[at++] = p & 255;
    }
    this.len = at;
  }

  text(s: string): void {
    this.room(s.length * 3);
    const b = this.buf;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) b[this.len++] = c;
      else if (c < 0x800) {
        this.buf[this.len++] = 0xc0 | (c >> 6);
        this.buf[this.len++] = 0x80 | (c & 63);
      } else {
        this.buf[this.len++] = 0xe0 | (c >> 12);
        this.buf[this.len++] = 0x80 | ((c >> 6) & 63);
        this.buf[this.len++] = 0x80 | (c & 63);
      }
    }
  }

  spaces(n: number): void {
    this.room(n);
    this.buf.fill(32, this.len, this.len + n);
    this.len += n;
  }

  toString(): string {
    return new Decoder().decode(this.buf.subarray(0, this.len));
  }
}

export function printIomem(root: Resource): string {
  const w = new Writer();
  const stack: [Resource[], number][] = [[root.children, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const res = top[0][top[1]++];
    if (!res) {
      stack.pop();
      continue;
    }
    w.spaces(2 * Math.min(stack.length - 1, 5));
    w.hex(res.start);
    w.text('-');
    w.hex(res.end);
    w.text(' : ');
    w.text(res.name);
    w.text('\n');
    if (res.children.length) stack.push([res.children, 0]);
  }
  return w.toString();
}
