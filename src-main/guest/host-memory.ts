// Whether the host can hold a guest: the profile's estimated cost
// (src-shared/profile/cost.ts) against the host's available memory.
import { readFile } from 'node:fs/promises';
import { estimatedHostRss } from '../../src-shared/profile/cost';
import type { Profile } from '../../src-shared/profile/schema';
import { GiB } from '../../src-shared/units';
import { ProfileError } from '../store/profile-error';

export interface HostMemory {
  total: number;
  available: number;
}

export async function hostMemory(meminfo = '/proc/meminfo'): Promise<HostMemory> {
  const text = await readFile(meminfo, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { total: kib('MemTotal'), available: kib('MemAvailable') };
}

const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

/**
 * What the guest will cost, said when its RAM is more than the host has; refused
 * (the field named) when the host cannot hold even that.
 */
export function checkHostMemory(profile: Profile, host: HostMemory): string | undefined {
  const cost = estimatedHostRss(profile);
  const costs =
    `a ${gib(profile.memory.size)} guest costs the host about ${gib(cost)} ` +
    `(1/60 of its RAM, mostly the guest's struct pages, plus QEMU)`;
  if (cost > host.available)
    throw ProfileError.at('memory.size', `${costs}, but only ${gib(host.available)} is available; make it smaller`);
  if (profile.memory.size <= host.total) return undefined;
  return `${costs}; the host has ${gib(host.total)}: RAM the guest touches beyond that is not there`;
}
