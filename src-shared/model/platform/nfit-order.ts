// The order of the NVDIMMs in QEMU's NFIT, which is the order in which the
// guest numbers their regions (drivers/acpi/nfit/core.c
// acpi_nfit_register_regions walks the SPA ranges in table order; nothing
// sorts them).
//
// QEMU builds the table from nvdimm_get_device_list (util/nvdimm-utils.c): a
// walk of the machine's QOM tree with object_child_foreach, which iterates
// each object's property table, a glib GHashTable keyed by the child's name.
// Every NVDIMM of a profile has an id, so all of them are children of
// /machine/peripheral, and their order is the iteration order of that table:
// slots in index order, each key placed by g_str_hash and quadratic probing
// (glib/ghash.c). Seen on the guest: nvdimm0..nvdimm3 become region0..3 in
// the order nvdimm0, nvdimm2, nvdimm1, nvdimm3.

/** glib's g_str_hash: djb2 over the bytes, 32-bit (QEMU ids are ASCII: profile/schema.ts qemuId). */
function gStrHash(key: string): number {
  let h = 5381;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 33) + key.charCodeAt(i)) >>> 0;
  // 0 and 1 mark unused and deleted slots; glib moves a real hash off them
  return h < 2 ? 2 : h;
}

// glib's prime moduli, indexed by the table's shift (size = 1 << shift)
const PRIME_MOD = [1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381];
const MIN_SHIFT = 3;

interface Table {
  shift: number;
  hashes: number[];
  keys: (string | undefined)[];
}

const tableOf = (shift: number): Table => ({
  shift,
  hashes: new Array<number>(1 << shift).fill(0),
  keys: new Array<string | undefined>(1 << shift).fill(undefined),
});

/** g_hash_table_hash_to_index: the hash times 11 (in 32 bits) modulo a prime below the size. */
const homeIndex = (t: Table, hash: number) => (Math.imul(hash, 11) >>> 0) % PRIME_MOD[t.shift]!;

function insert(t: Table, key: string): void {
  const mask = (1 << t.shift) - 1;
  const hash = gStrHash(key);
  let i = homeIndex(t, hash);
  for (let step = 1; t.hashes[i] !== 0; step++) i = (i + step) & mask;
  t.hashes[i] = hash;
  t.keys[i] = key;
}

/** g_hash_table_set_shift_from_size: the bit length of the size, at least the minimum. */
const shiftFor = (size: number) => Math.max(MIN_SHIFT, Math.floor(size).toString(2).length);

/**
 * g_hash_table_resize grows in place: each old slot in turn is moved to its
 * new home, evicting a key not yet moved, which then looks for its own.
 */
function grow(t: Table, nnodes: number): Table {
  const oldSize = t.hashes.length;
  const shift = shiftFor(Math.trunc(nnodes * 1.333));
  const size = 1 << shift;
  const mask = size - 1;
  const next: Table = { shift, hashes: [...t.hashes, ...new Array<number>(size - oldSize).fill(0)], keys: [...t.keys] };
  next.keys.length = size;
  const moved = new Array<boolean>(size).fill(false);
  for (let i = 0; i < oldSize; i++) {
    let hash = next.hashes[i]!;
    if (hash < 2 || moved[i]) continue;
    let key = next.keys[i];
    next.hashes[i] = 0;
    next.keys[i] = undefined;
    for (;;) {
      let j = homeIndex(next, hash);
      for (let step = 1; moved[j]; step++) j = (j + step) & mask;
      moved[j] = true;
      const [evictedHash, evictedKey] = [next.hashes[j]!, next.keys[j]];
      next.hashes[j] = hash;
      next.keys[j] = key;
      if (evictedHash < 2) break;
      [hash, key] = [evictedHash, evictedKey];
    }
  }
  return next;
}

/** The names in the order a GHashTable built by inserting them one by one iterates them. */
export function gHashTableOrder(names: readonly string[]): string[] {
  let t = tableOf(MIN_SHIFT);
  names.forEach((name, n) => {
    insert(t, name);
    // g_hash_table_maybe_resize after a new key: grow once the table is 15/16 occupied
    const occupied = n + 1;
    if (t.hashes.length <= occupied + Math.floor(occupied / 16)) t = grow(t, occupied);
  });
  return t.keys.filter((k): k is string => k !== undefined);
}

/** The NVDIMMs in NFIT order: the order the guest numbers their regions in. */
export function nfitOrder<T extends { id: string }>(nvdimms: readonly T[]): T[] {
  const byId = new Map(nvdimms.map((d) => [d.id, d]));
  return gHashTableOrder(nvdimms.map((d) => d.id)).map((id) => byId.get(id) as T);
}
