// A virtualised list's window: which rows a scroll position shows, so only
// those (plus a little overscan) are in the DOM however long the list is.
export interface VirtualWindow {
  first: number;
  last: number;
  /** pixels above the first rendered row */
  offset: number;
  total: number;
}

export function virtualWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): VirtualWindow {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last: Math.max(first, last), offset: first * rowHeight, total: count * rowHeight };
}

/** The scroll position that brings row `i` into view (unchanged when it already is). */
export function scrollToRow(i: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = i * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}
