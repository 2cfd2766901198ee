// Draws build/icon.png (512x512): a DIMM stick with its memory chips and
// contacts, on a rounded tile. Written as raw PNG bytes so it needs nothing
// but node:zlib. Run: npx tsx scripts/make-icon.ts
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const N = 512;
const px = Buffer.alloc(N * N * 4);
const put = (x: number, y: number, [r, g, b, a]: number[]) => px.set([r!, g!, b!, a!], (y * N + x) * 4);
const rect = (x0: number, y0: number, w: number, h: number, c: number[], radius = 0) => {
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) {
      const dx = Math.max(x0 + radius - x, 0, x - (x0 + w - 1 - radius));
      const dy = Math.max(y0 + radius - y, 0, y - (y0 + h - 1 - radius));
      if (dx * dx + dy * dy <= radius * radius) put(x, y, c);
    }
};

rect(16, 16, 480, 480, [21, 24, 29, 255], 96); // tile
rect(56, 176, 400, 150, [46, 125, 80, 255], 10); // PCB
for (let i = 0; i < 4; i++) rect(84 + i * 90, 200, 70, 80, [24, 26, 31, 255], 6); // chips
for (let i = 0; i < 24; i++) rect((72 + i * 15.5) | 0, 300, 9, 22, [222, 184, 80, 255]); // contacts
rect(246, 300, 18, 26, [46, 125, 80, 255]); // key notch
rect(56, 356, 400, 20, [142, 92, 194, 255], 8); // "persistent" bar

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const raw = Buffer.concat(
  Array.from({ length: N }, (_, y) => Buffer.concat([Buffer.from([0]), px.subarray(y * N * 4, (y + 1) * N * 4)])),
);
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw)),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(join(import.meta.dirname, '../build'), { recursive: true });
writeFileSync(join(import.meta.dirname, '../build/icon.png'), png);
