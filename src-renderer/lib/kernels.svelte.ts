// The lab's kernel presets (kernels.list), kept current by kernel.build events,
// so a build's progress shows wherever a preset is shown, in every tab, and
// outlives the editor that started it.
import type { KernelPreset, LabApi } from '../../src-shared/api/contract';
import { afterBuildEvent } from '../views/profiles/kernel-field';

export class KernelPresets {
  list = $state<KernelPreset[] | null>(null);
  /** why the list could not be read */
  listError = $state<string | null>(null);
  /** a preset's last build failure, until it is built; a refusal as busy, until the build it waited for ends */
  failed = $state<Record<string, { text: string; busy?: boolean }>>({});

  constructor(private readonly api: LabApi) {
    api.on('kernel.build', (e) => {
      if (e.built || e.error)
        this.failed = Object.fromEntries(
          Object.entries(this.failed).filter(([name, f]) => !f.busy && name !== e.preset),
        );
      if (e.error) this.failed[e.preset] = { text: `the build failed: ${e.error}` };
      this.list = this.list?.map((p) => (p.name === e.preset ? afterBuildEvent(p, e) : p)) ?? null;
    });
  }

  async load(): Promise<void> {
    const r = await this.api.call('kernels.list', {});
    if (r.ok) {
      this.list = r.value;
      this.listError = null;
    } else this.listError = r.error.message;
  }

  /** Starts the preset's build; its progress and end arrive as events. */
  async build(name: string): Promise<void> {
    delete this.failed[name];
    const r = await this.api.call('kernels.build', { preset: name });
    if (!r.ok) this.failed[name] = { text: r.error.message, busy: r.error.code === 'busy' };
    // the answer is the state when the build started; an event may have moved it on since
    else if (!this.failed[name] && this.list && !this.list.some((p) => p.name === name && (p.building || p.built)))
      this.list = this.list.map((p) => (p.name === name ? r.value : p));
  }
}
