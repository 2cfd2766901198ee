// What a boot is given: the profile, the kit, the accelerator, and how it may come up (relaunched when silent,
// from a checkpoint, or cold).
import type { Profile } from '../../src-shared/profile/schema';
import type { FoundCheckpoint } from '../checkpoint/guest';
import type { Kit } from '../kit/build';
import type { Accel } from '../qemu/argv';
import type { Vm } from './vm';

export interface VmOptions {
  profile: Profile;
  kit: Kit;
  accel: Accel;
  readyTimeoutMs?: number;
  /** folder for persistent NVDIMM images (default: the data dir's images/PROFILE) */
  imagesDir?: string;
  /**
   * called once QEMU runs, before the guest is ready: viewers attach to the console from here (again after a relaunch)
   */
  onLaunched?: (vm: Vm) => void;
  /** relaunch a guest that stays silent on both serial lines (default true; the KVM probe wants the hang itself) */
  relaunchIfSilent?: boolean;
  /** 'use' (default): restore the boot's checkpoint when there is one, else boot cold and save one; 'cold': neither */
  checkpoint?: 'use' | 'cold';
  /**
   * restore this checkpoint (a session's step) and nothing else: a failure is the boot's; `extraArgv` gives the
   * devices hot-added by then, for the new runtime folder and RAM files (backend id -> file)
   */
  restoreFrom?: { found: FoundCheckpoint; extraArgv: (runDir: string, ramFiles: Record<string, string>) => string[] };
}
