// A canvas view redraws once per frame at most: every change its `track`
// function reads schedules one draw for the next frame, and a newer change
// replaces a draw not yet done.
export function redrawOnChange(track: () => unknown, draw: () => void): void {
  let frame = 0;
  $effect(() => {
    track();
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  });
}
