// What decides a booted guest, as one key: a checkpoint saved under a key is restored only into a boot with the
// same key (docs/architecture.md "Checkpoints"). Runtime paths change at every boot and are replaced by
// placeholders; everything else in the argv counts, with the kit, the QEMU binary and the persistent images.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';

/** Bumped whenever what a checkpoint holds or how it is restored changes: older ones are then never used. */
export const CHECKPOINT_FORMAT = 2;

export interface KeyInputs {
  kitHash: string;
  kernel: string;
  initrd: string;
  qemuBinary: string;
  qemuVersion: string;
  argv: readonly string[];
  runDir: string;
  /** the folder of the guest's RAM files (ram-files.ts), a runtime path like runDir */
  ramDir?: string;
  /** persistent NVDIMM images: the guest read them at boot, so their identity is part of the key */
  persistentImages: readonly string[];
}

export interface CheckpointKey {
  key: string;
  /** what the key was made of, kept in the checkpoint's meta so `checkpoints list` can say what it is */
  parts: Record<string, unknown>;
}

/** Size and modification time (ns) of a file: a different file or a changed one gives a different identity. */
export async function fileIdentity(path: string): Promise<string> {
  const s = await stat(path, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
}

/**
 * The argv with the boot's own paths replaced, so two boots of one profile compare equal; `-name` (the
 * process's label, which the guest never sees) too, so that profiles alike but for their name share a key.
 */
export function stableArgv(inputs: Pick<KeyInputs, 'argv' | 'runDir' | 'ramDir' | 'kernel' | 'initrd'>): string[] {
  const paths: [string | undefined, string][] = [
    [inputs.runDir, '$RUN'],
    [inputs.ramDir, '$RAM'],
    [inputs.kernel, '$KERNEL'],
    [inputs.initrd, '$INITRD'],
  ];
  return inputs.argv.map((a, i) =>
    inputs.argv[i - 1] === '-name' ? '$NAME' : paths.reduce((s, [p, name]) => (p ? s.split(p).join(name) : s), a),
  );
}

export async function checkpointKey(inputs: KeyInputs): Promise<CheckpointKey> {
  const parts = {
    format: CHECKPOINT_FORMAT,
    kit: inputs.kitHash,
    qemu: { binary: inputs.qemuBinary, identity: await fileIdentity(inputs.qemuBinary), version: inputs.qemuVersion },
    argv: stableArgv(inputs),
    images: Object.fromEntries(
      await Promise.all(inputs.persistentImages.map(async (p) => [p, await fileIdentity(p)] as const)),
    ),
  };
  const key = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
  return { key, parts };
}
