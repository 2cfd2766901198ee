// Colours of the memory views, by what the kernel calls things.
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

/** Block grid palettes as 0xAABBGGRR for ImageData (little-endian Uint32 over RGBA bytes). */
export const rgba = (hex: string): number => {
  const n = parseInt(hex.slice(1), 16);
  return (0xff << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
};

export const STATE_COLOURS: Record<string, string> = {
  online: '#4caf70',
  offline: '#c9ced6',
  'going-offline': '#e0a84a',
};
export const ZONE_COLOURS: Record<string, string> = {
  Movable: '#3f8fd9',
  Normal: '#4caf70',
  DMA32: '#8fbf5a',
  DMA: '#bfa35a',
  none: '#c9ced6',
};
export const NODE_COLOURS = ['#4caf70', '#3f8fd9', '#e07b39', '#b07cd8', '#d9534f', '#17a2b8', '#8d6e63', '#cddc39'];
