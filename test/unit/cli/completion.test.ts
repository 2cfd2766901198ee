// The completion scripts really complete: bash's function is run with
// COMP_WORDS/COMP_CWORD as bash sets them on TAB, fish answers `complete -C`,
// zsh's completion system is driven in a pseudo-terminal. Profile and scenario names come from a `pmem-lab` on
// PATH (a link to bin/pmem-lab.js), as they will for users.
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src-main/cli/commands';
import { bashScript, fishScript, zshScript } from '../../../src-main/cli/completion-scripts';

const ROOT = join(import.meta.dirname, '../../..');
const visible = COMMANDS.filter((c) => !c.hidden);
const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-completion-'));
const env = { PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
/** zsh and fish are optional on the host (bash always runs): their tests are skipped, visibly, without them. */
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

beforeAll(() => {
  mkdirSync(join(dir, 'bin'));
  symlinkSync(join(ROOT, 'bin/pmem-lab.js'), join(dir, 'bin/pmem-lab'));
  writeFileSync(join(dir, 'completion.bash'), bashScript(visible));
  writeFileSync(join(dir, 'completion.zsh'), zshScript(visible));
  writeFileSync(join(dir, 'completion.fish'), fishScript(visible));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash offers for the words typed so far (the last one is the word being completed). */
async function bashComplete(...words: string[]): Promise<string[]> {
  const script =
    `source ${join(dir, 'completion.bash')}; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pmem_lab; ` +
    `printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await execa('bash', ['-c', script, 'bash', ...words], { env, cwd: ROOT });
  return r.stdout.split('\n').filter(Boolean);
}

describe('pmem-lab completion', { timeout: 60_000 }, () => {
  it('bash: completes commands, options, their choices, and nothing after the one argument', async () => {
    expect(await bashComplete('pmem-lab', '')).toEqual([
      ...visible.map((c) => c.name),
      '-h',
      '--help',
      '-V',
      '--version',
    ]);
    expect(await bashComplete('pmem-lab', 'ru')).toEqual(['run']);
    expect(await bashComplete('pmem-lab', 'run', '--a')).toEqual(['--accel']);
    expect(await bashComplete('pmem-lab', 'run', 'kmem-labels', '--accel', '')).toEqual(['auto', 'kvm', 'tcg']);
    expect(await bashComplete('pmem-lab', 'run', '--accel', '=', 't')).toEqual(['tcg']);
    expect(await bashComplete('pmem-lab', 'model', 'x', '--kernel-rules', '5')).toEqual(['5.3', '5.1', '5.0']);
    expect(await bashComplete('pmem-lab', 'doctor', '--')).toEqual(['--json', '--reprobe', '--help']);
    expect(await bashComplete('pmem-lab', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await bashComplete('pmem-lab', 'model', 'kmem-labels', '')).toEqual([]);
    expect(await bashComplete('pmem-lab', 'run', '--report', 'r.html', 'kmem-labels', '')).toEqual([]);
  });

  it('bash: completes profile and scenario names by asking pmem-lab, and paths', async () => {
    expect(await bashComplete('pmem-lab', 'boot', 'nv')).toEqual(['nvdimm-1g-labelless', 'nvdimm-1g-labels']);
    expect(await bashComplete('pmem-lab', 'run', '--accel', 'tcg', 'kmem-la')).toEqual([
      'kmem-labelless',
      'kmem-labels',
    ]);
    expect(await bashComplete('pmem-lab', 'shell', './qemu-profiles/legacy')).toEqual([
      './qemu-profiles/legacy-memmap.yaml',
    ]);
  });

  it("bash: completes kernel's verb, then a preset after it, and nothing after that", async () => {
    expect(await bashComplete('pmem-lab', 'kernel', '')).toEqual(['build', 'list']);
    expect(await bashComplete('pmem-lab', 'kernel', 'build', '')).toEqual(['base', 'debug', 'hmm']);
    expect(await bashComplete('pmem-lab', 'kernel', 'build', '--jobs', '2', 'h')).toEqual(['hmm']);
    expect(await bashComplete('pmem-lab', 'kernel', 'build', 'hmm', '')).toEqual([]);
  });

  it("bash: completes matrix's file, report's verb, then any number of result files", async () => {
    expect(await bashComplete('pmem-lab', 'matrix', 'examples/ci/m')).toEqual(['examples/ci/matrix.yaml']);
    expect(await bashComplete('pmem-lab', 'matrix', 'examples/ci/matrix.yaml', '')).toEqual([]);
    expect(await bashComplete('pmem-lab', 'report', '')).toEqual(['merge']);
    expect(await bashComplete('pmem-lab', 'report', 'merge', 'examples/ci/w')).toEqual(['examples/ci/workflow.yml']);
    expect(await bashComplete('pmem-lab', 'report', 'merge', 'a.json', '--out', 'o', 'examples/ci/w')).toEqual([
      'examples/ci/workflow.yml',
    ]);
    expect(await bashComplete('pmem-lab', 'run', 'x', '--jun')).toEqual(['--junit']);
  });

  it.skipIf(!has('fish'))('fish: offers the same commands, choices and names', async () => {
    const fish = async (line: string) =>
      (
        await execa('fish', ['-c', `source ${join(dir, 'completion.fish')}; complete -C '${line}'`], { env, cwd: ROOT })
      ).stdout
        .split('\n')
        .map((l) => l.split('\t')[0]);
    expect(await fish('pmem-lab run --accel ')).toEqual(['auto', 'kvm', 'tcg']);
    expect(await fish('pmem-lab model kmem-lab')).toEqual(['kmem-labelless', 'kmem-labels']);
    expect(await fish('pmem-lab doctor --')).toEqual(['--help', '--json', '--reprobe']);
    expect(await fish('pmem-lab kernel ')).toEqual(['build', 'list']);
    expect(await fish('pmem-lab kernel build ')).toEqual(['base', 'debug', 'hmm']);
    expect(await fish('pmem-lab report ')).toEqual(['merge']);
    expect(await fish('pmem-lab report merge examples/ci/w')).toEqual(['examples/ci/workflow.yml']);
    expect(await fish('pmem-lab matrix examples/ci/m')).toEqual(['examples/ci/matrix.yaml']);
  });

  it.skipIf(!has('zsh'))('zsh: its completion system offers the same commands, choices and names', async () => {
    const zsh = async (line: string) => {
      const zshEnv = { ...env, COMPLETION_SCRIPT: join(dir, 'completion.zsh'), ZCOMPDUMP: join(dir, 'zcompdump') };
      const r = await execa('zsh', ['-f', join(import.meta.dirname, 'fixtures/zsh-complete.zsh'), line], {
        env: zshEnv,
        cwd: ROOT,
        timeout: 30_000,
      });
      return [...new Set(r.stdout.split('\n').filter(Boolean))];
    };
    expect(await zsh('pmem-lab ')).toEqual(visible.map((c) => c.name));
    expect(await zsh('pmem-lab run --accel ')).toEqual(['auto', 'kvm', 'tcg']);
    expect(await zsh('pmem-lab model x --kernel-rules 5')).toEqual(['5.3', '5.1', '5.0']);
    expect(await zsh('pmem-lab boot nv')).toEqual(['nvdimm-1g-labelless', 'nvdimm-1g-labels']);
    expect(await zsh('pmem-lab doctor --')).toEqual(['--json', '--reprobe', '--help']);
    expect(await zsh('pmem-lab kernel ')).toEqual(['build', 'list']);
    expect(await zsh('pmem-lab kernel build ')).toEqual(['base', 'debug', 'hmm']);
    expect(await zsh('pmem-lab report ')).toEqual(['merge']);
    // _files lists a file by its name in its folder
    expect(await zsh('pmem-lab report merge a.json examples/ci/w')).toEqual(['workflow.yml']);
    expect(await zsh('pmem-lab matrix examples/ci/m')).toEqual(['matrix.yaml']);
  });
});
