// Canvas helpers of the address map: text measuring before a canvas exists
// (the scale sizes its segments from label widths), and the marks drawn over
// the bar: hatched gaps, hole brackets, labels on a patch of background.

/** Text width in `font`, cached: the map asks for the same few labels on every frame. */
export function measureIn(font: string): (text: string) => number {
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = font;
  const cache = new Map<string, number>();
  return (text) => {
    let w = cache.get(text);
    if (w === undefined) {
      w = ctx.measureText(text).width;
      cache.set(text, w);
    }
    return w;
  };
}

/** Text centred at (x, y) on a patch of `bg`, for labels over hatching or several colours. */
export function boxedText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, [fg, bg]: string[]): void {
  const w = ctx.measureText(text).width;
  ctx.fillStyle = bg!;
  ctx.fillRect(x - w / 2 - 2, y - 7, w + 4, 14);
  ctx.fillStyle = fg!;
  ctx.fillText(text, x, y);
}

/** Diagonal hatching over `bg`: an address range nothing claims. */
export function hatch(ctx: CanvasRenderingContext2D, x: number, w: number, h: number, bg: string, ink: string): void {
  ctx.save();
  ctx.fillStyle = bg;
  ctx.fillRect(x, 0, w, h);
  ctx.beginPath();
  ctx.rect(x, 0, w, h);
  ctx.clip();
  ctx.beginPath();
  for (let at = x - h; at < x + w; at += 5) {
    ctx.moveTo(at, h);
    ctx.lineTo(at + h, 0);
  }
  ctx.strokeStyle = ink;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.restore();
}

/** A bracket from x0 to x1 with its label in the middle: a span the bar itself does not show as one piece. */
export function bracket(
  ctx: CanvasRenderingContext2D,
  x0: number,
  x1: number,
  y: number,
  [fg, bg, ink]: string[],
  label: string,
): void {
  ctx.beginPath();
  ctx.moveTo(x0 + 1, y - 5);
  ctx.lineTo(x0 + 1, y);
  ctx.lineTo(x1 - 1, y);
  ctx.lineTo(x1 - 1, y - 5);
  ctx.strokeStyle = ink!;
  ctx.lineWidth = 1;
  ctx.stroke();
  if (label) boxedText(ctx, label, (x0 + x1) / 2, y, [fg!, bg!]);
}
