// Colours of the memory views, by what the kernel calls things. Zones, states
// and nodes use the Okabe–Ito palette (distinct under the common colour-vision
// deficiencies) and zones and states add a pattern as a second cue.
export function resourceColour(name: string): string {
  if (name === 'System RAM (kmem)') return '#2e9d5b';
  if (name.startsWith('System RAM')) return '#4caf70';
  if (name === 'Persistent Memory (legacy)') return '#b07cd8';
  if (name.startsWith('Persistent Memory')) return '#8e5cc2';
  if (/^(namespace|pfn|dax)\d/.test(name)) return '#c79ce8';
  if (/^region\d/.test(name)) return '#a57bd0';
  if (/device private|Unaddressable|hmm/i.test(name)) return '#e07b39';
  if (/^PCI Bus|^PCI/.test(name)) return '#7a8aa0';
  if (/reserved/i.test(name)) return '#9a9a9a';
  if (/^Kernel /.test(name)) return '#2f6fdf';
  return '#b8c2cc';
}

/** Relative luminance (WCAG) of a #rrggbb colour. */
export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin((n >> 16) / 255) + 0.7152 * lin(((n >> 8) & 0xff) / 255) + 0.0722 * lin((n & 0xff) / 255);
}

/** Black or white, whichever reads better on `hex`. */
export const textOn = (hex: string): string => (luminance(hex) > 0.22 ? '#111' : '#fff');

/** The pattern's second colour: `hex` pushed towards black, or towards white when already dark. */
export function shade(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const dark = luminance(hex) > 0.18;
  const mix = (c: number) => Math.round(dark ? c * 0.55 : c + (255 - c) * 0.5);
  const rgb = [n >> 16, (n >> 8) & 0xff, n & 0xff].map(mix);
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Block grid palettes as 0xAABBGGRR for ImageData (little-endian Uint32 over RGBA bytes). */
export const rgba = (hex: string): number => {
  const n = parseInt(hex.slice(1), 16);
  return (0xff << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
};

export type Pattern = 'solid' | 'stripes' | 'dots' | 'lines';

export interface Swatch {
  colour: string;
  pattern: Pattern;
}

const OKABE_ITO = ['#009E73', '#0072B2', '#E69F00', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const NONE = '#BBBBBB';

export const STATE_SWATCHES: Record<string, Swatch> = {
  online: { colour: '#009E73', pattern: 'solid' },
  offline: { colour: NONE, pattern: 'solid' },
  'going-offline': { colour: '#E69F00', pattern: 'stripes' },
};
export const ZONE_SWATCHES: Record<string, Swatch> = {
  DMA: { colour: '#F0E442', pattern: 'dots' },
  DMA32: { colour: '#E69F00', pattern: 'lines' },
  Normal: { colour: '#009E73', pattern: 'solid' },
  Movable: { colour: '#0072B2', pattern: 'stripes' },
  none: { colour: NONE, pattern: 'solid' },
};
export const nodeSwatch = (node: number): Swatch => ({
  colour: OKABE_ITO[Math.max(0, node) % OKABE_ITO.length]!,
  pattern: 'solid',
});
export const OTHER: Swatch = { colour: '#999999', pattern: 'solid' };
export const NODE_COLOURS = OKABE_ITO;

/** Whether pixel (x, y) of a cell is the pattern's second colour. */
export function patternHit(p: Pattern, x: number, y: number): boolean {
  if (p === 'stripes') return (x + y) % 4 === 0;
  if (p === 'lines') return y % 3 === 1;
  if (p === 'dots') return x % 3 === 1 && y % 3 === 1;
  return false;
}

/** The same swatch as a CSS background, for legends. */
export function swatchCss({ colour, pattern }: Swatch): string {
  const s = shade(colour);
  if (pattern === 'stripes') return `repeating-linear-gradient(45deg, ${s} 0 1px, ${colour} 1px 4px)`;
  if (pattern === 'lines') return `repeating-linear-gradient(0deg, ${colour} 0 1px, ${s} 1px 2px, ${colour} 2px 3px)`;
  if (pattern === 'dots') return `radial-gradient(${s} 0.8px, transparent 1px) 0 0 / 3px 3px, ${colour}`;
  return colour;
}
