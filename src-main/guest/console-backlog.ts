// Console output kept for viewers that attach after boot (the kernel's messages, the first prompt): the last
// 256 KiB, in the chunks it came in.
const CONSOLE_BACKLOG = 256 * 1024;

export class ConsoleBacklog {
  private chunks: Buffer[] = [];
  private bytes = 0;

  keep(d: Buffer): void {
    this.chunks.push(d);
    this.bytes += d.length;
    while (this.bytes > CONSOLE_BACKLOG && this.chunks.length > 1) this.bytes -= this.chunks.shift()!.length;
  }

  history(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
