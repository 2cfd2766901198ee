import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../util/app-root';

/** The version in package.json, the one place it is written. */
export function version(): string {
  return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
