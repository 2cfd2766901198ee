// Where export_report may write: only a file the client plainly named. An MCP client is a program acting on
// the user's behalf, and a report written to the wrong place (a folder replaced, a link followed, a path that
// resolves elsewhere than it reads) is worse than none; each refusal says why and what to name instead.
import { lstat, stat } from 'node:fs/promises';
import { dirname, isAbsolute, normalize } from 'node:path';
import { ToolError } from './results';

const refuse = (why: string) => new ToolError(why, 'path');

const exists = <T>(p: Promise<T>): Promise<T | undefined> =>
  p.catch((e: NodeJS.ErrnoException) => {
    // ENOTDIR: a part of the path is a file, which the folder check below names
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  });

/** The path to write the report to, or a ToolError on `path` saying why not. */
export async function reportTarget(path: string, overwrite: boolean): Promise<string> {
  if (!isAbsolute(path))
    throw refuse(
      `"${path}" is relative, so it would be read from the server's folder (${process.cwd()}), which may not be ` +
        'the one meant: give an absolute path, e.g. /tmp/report.html',
    );
  if (path.includes('\0')) throw refuse('the path holds a NUL character');
  if (path.endsWith('/')) throw refuse(`"${path}" names a folder: name the report file in it, e.g. ${path}report.html`);
  if (normalize(path) !== path)
    throw refuse(`"${path}" has "." or ".." parts or doubled slashes: write it plainly, as ${normalize(path)}`);
  const here = await exists(lstat(path));
  if (here?.isDirectory())
    throw refuse(
      `${path} is a folder, and a report never replaces a folder: name a file in it, e.g. ${path}/report.html`,
    );
  if (!/\.html?$/i.test(path)) throw refuse(`the report is an HTML page: name a file ending in .html, not "${path}"`);
  if (here?.isSymbolicLink())
    throw refuse(
      `${path} is a symbolic link: name the file itself (the link would be replaced, not what it points at)`,
    );
  if (here && !here.isFile()) throw refuse(`${path} is not a regular file (a device, socket or pipe)`);
  if (here && !overwrite) throw refuse(`${path} exists: pass overwrite: true to replace it`);
  const folder = dirname(path);
  const parent = await exists(stat(folder));
  if (!parent) throw refuse(`the folder ${folder} does not exist: create it first (the report makes no folders)`);
  if (!parent.isDirectory()) throw refuse(`${folder} is not a folder`);
  return path;
}
