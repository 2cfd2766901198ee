// Rebuilds the line a user types into the guest console from the keystrokes,
// so vocabulary lines can be mirrored into the model. Cursor keys and history
// recall make the line unknowable from keystrokes alone; such lines are
// reported as unreadable rather than guessed.
export type TypedLine = { line: string } | { unreadable: true };

export class TypedLineTracker {
  private buf = '';
  private edited = false;

  /** Feeds typed characters; returns every line finished by Enter. */
  feed(data: string): TypedLine[] {
    const done: TypedLine[] = [];
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      const code = c.charCodeAt(0);
      if (c === '\r' || c === '\n') {
        // a CRLF pair is one Enter
        if (c === '\n' && i > 0 && data[i - 1] === '\r') continue;
        done.push(this.edited ? { unreadable: true } : { line: this.buf });
        this.reset();
      } else if (code === 0x7f || code === 0x08) this.buf = this.buf.slice(0, -1);
      else if (code === 0x03 || code === 0x15)
        this.reset(); // Ctrl-C abandons the line, Ctrl-U erases it
      else if (code === 0x1b) {
        // An escape sequence: the terminal's reply to busybox's cursor-position query (ESC [ row ; col R)
        // is not typing; anything else (cursor keys, history) makes the buffer untrustworthy.
        let final = '';
        if (data[i + 1] === '[' || data[i + 1] === 'O') {
          i += 2;
          while (i < data.length && !/[A-Za-z~]/.test(data[i]!)) i++;
          final = data[i] ?? '';
        }
        if (final !== 'R') this.edited = true;
      } else if (code === 0x09)
        this.edited = true; // tab completion fills in text we do not see
      else if (code >= 0x20) this.buf += c;
    }
    return done;
  }

  /** The line typed so far, when it can be known. */
  pending(): string {
    return this.edited ? '' : this.buf;
  }

  private reset(): void {
    this.buf = '';
    this.edited = false;
  }
}
