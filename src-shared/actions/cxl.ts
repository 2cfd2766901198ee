// `cxl` region lines of the vocabulary (ndctl's cxl tool, cxl/region.c):
// create-region, and enable-, disable- and destroy-region. The options are
// cxl's own; sizes are kept as written, since cxl reads them itself.
import { parseOptions } from './options';
import type { Action, ParsedAction } from './types';

const unknown = (reason: string): ParsedAction => ({ kind: 'unknown', reason });
const ok = (action: Action): ParsedAction => ({ kind: 'action', action });

const BASE = { bus: 'b', decoder: 'd' };
const CREATE = {
  values: { ...BASE, size: 's', ways: 'w', granularity: 'g', type: 't' },
  flags: { memdevs: 'm', human: 'u', debug: '' },
};
const XABLE = { values: BASE, flags: { force: 'f', debug: '' } };

/** parse-options' OPT_INTEGER: the whole word a decimal (or 0x) number, else the usage error. */
function integer(v: string | undefined): number | undefined | 'bad' {
  if (v === undefined) return undefined;
  return /^-?(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : 'bad';
}

export function parseCxl(cmd: string, args: string[]): ParsedAction {
  if (cmd === 'create-region') {
    const o = parseOptions(args, CREATE);
    if ('error' in o) return unknown(`cxl create-region: ${o.error}`);
    if (o.values.has('bus')) return unknown('cxl create-region: -b is not modelled (the lab has one CXL bus)');
    const ways = integer(o.values.get('ways'));
    const granularity = integer(o.values.get('granularity'));
    if (ways === 'bad' || granularity === 'bad') return unknown('cxl create-region: -w and -g take integers');
    const v = (key: string) => (o.values.has(key) ? { [key]: o.values.get(key)! } : {});
    return ok({
      kind: 'cxl-create-region',
      ...v('decoder'),
      ...v('type'),
      ...v('size'),
      ...(ways !== undefined ? { ways } : {}),
      ...(granularity !== undefined ? { granularity } : {}),
      memdevsFlag: o.flags.has('memdevs'),
      targets: o.positional,
    });
  }
  const op = /^(enable|disable|destroy)-region$/.exec(cmd)?.[1] as 'enable' | 'disable' | 'destroy' | undefined;
  if (op) {
    const o = parseOptions(args, XABLE);
    if ('error' in o) return unknown(`cxl ${cmd}: ${o.error}`);
    if (o.values.has('bus')) return unknown(`cxl ${cmd}: -b is not modelled (the lab has one CXL bus)`);
    if (o.flags.has('force') && op !== 'destroy') return unknown(`cxl ${cmd}: unknown switch \`f'`);
    return ok({
      kind: 'cxl-region',
      op,
      ...(o.values.has('decoder') ? { decoder: o.values.get('decoder')! } : {}),
      force: o.flags.has('force'),
      regions: o.positional,
    });
  }
  return unknown(`cxl ${cmd} is outside the vocabulary`);
}
