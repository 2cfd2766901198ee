// Where export_report may write: only a file the client plainly named, never over a folder or through a link.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportTarget } from '../../../src-main/mcp/report-path';

describe('the report path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-report-'));

  it('accepts a new .html file in an existing folder, and an existing one with overwrite', async () => {
    expect(await reportTarget(join(dir, 'r.html'), false)).toBe(join(dir, 'r.html'));
    writeFileSync(join(dir, 'old.html'), 'x');
    expect(await reportTarget(join(dir, 'old.html'), true)).toBe(join(dir, 'old.html'));
  });

  it('refuses, saying why, what is not plainly a new or named report file', async () => {
    mkdirSync(join(dir, 'folder.html'));
    symlinkSync(join(dir, 'old.html'), join(dir, 'link.html'));
    const refusal = (p: string, overwrite = false) =>
      reportTarget(p, overwrite).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    expect(await refusal('report.html')).toMatch(/^path: "report.html" is relative, .* give an absolute path/);
    expect(await refusal(`${dir}/`)).toMatch(/names a folder: name the report file in it/);
    expect(await refusal(join(dir, 'folder.html'), true)).toMatch(/is a folder, and a report never replaces a folder/);
    expect(await refusal(dir, true)).toMatch(/is a folder, .* name a file in it, e\.g\. .*\/report\.html/);
    expect(await refusal(join(dir, 'link.html'), true)).toMatch(/is a symbolic link: name the file itself/);
    expect(await refusal(join(dir, 'old.html'))).toMatch(/exists: pass overwrite: true to replace it/);
    expect(await refusal(`${dir}/../x/r.html`)).toMatch(/has "." or ".." parts .* write it plainly/);
    expect(await refusal(join(dir, 'r.txt'))).toMatch(/name a file ending in \.html/);
    expect(await refusal(join(dir, 'missing', 'r.html'))).toMatch(/folder .*missing does not exist: create it first/);
    expect(await refusal(join(dir, 'old.html', 'r.html'))).toMatch(/old\.html is not a folder/);
    expect(await refusal('/dev/null.html')).toBe('accepted'); // a new file beside /dev/null, not the device
  });
});
