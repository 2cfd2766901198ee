// The local side of `pmem-lab matrix`: the cells run at most `slots` at a
// time and within the host memory their guests are estimated to hold. Across
// machines the cells are a CI engine's job matrix (examples/ci/), not this.

export interface PoolJob {
  id: string;
  /** jobs that boot the same guest (a row: the same profile and kernel) and so share a checkpoint */
  group: string;
  /** host memory the job's guest holds, bytes (src-shared/profile/cost.ts) */
  cost: number;
}

export interface PoolOptions {
  slots: number;
  /** what the jobs may hold together, bytes; a job that alone needs more runs alone */
  memory: number;
  /**
   * While a group's first job has not booted, its other jobs wait (others go
   * first): once booted, its checkpoint is saved and they restore it instead
   * of each booting cold. Off for cold boots.
   */
  warmUp: boolean;
}

/**
 * Runs every job, in the order given as far as the bounds allow. `run` calls
 * `booted` once its guest is up; a job that ends (even failing) counts as
 * booted. Errors `run` throws are its own to report: the pool goes on.
 */
export function runPool<J extends PoolJob>(
  jobs: readonly J[],
  opts: PoolOptions,
  run: (job: J, booted: () => void) => Promise<void>,
): Promise<void> {
  return new Promise((done) => {
    const waiting = [...jobs];
    const warm = new Set<string>();
    const leading = new Set<string>();
    let running = 0;
    let held = 0;
    const ready = (j: J) => !opts.warmUp || warm.has(j.group) || !leading.has(j.group);
    const fits = (j: J) => running === 0 || held + j.cost <= opts.memory;

    const start = (j: J) => {
      running++;
      held += j.cost;
      leading.add(j.group);
      let up = false;
      const booted = () => {
        if (up) return;
        up = true;
        warm.add(j.group);
        pump();
      };
      void run(j, booted)
        .catch(() => undefined)
        .finally(() => {
          running--;
          held -= j.cost;
          booted();
          pump();
        });
    };

    function pump(): void {
      while (running < opts.slots) {
        const i = waiting.findIndex((j) => ready(j) && fits(j));
        if (i < 0) break;
        start(waiting.splice(i, 1)[0]!);
      }
      if (!running && !waiting.length) done();
    }
    pump();
  });
}
