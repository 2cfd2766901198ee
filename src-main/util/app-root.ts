// The folder holding qemu-profiles/, scenarios/, the guest scripts and dist/:
// the checkout when run from source, the app bundle when packaged (the
// Electron bundle sets PMEM_LAB_ROOT, having no import.meta of its own).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function appRoot(): string {
  return process.env.PMEM_LAB_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
}
