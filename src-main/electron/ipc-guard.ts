// Every IPC call is checked twice before it reaches the backend: the sender
// must be the app's own page (not another frame, not a navigated-away page),
// and the method must be in the contract (the backend then validates params).
import { isCallName, type Reply } from '../../src-shared/api/contract';
import type { Backend } from '../backend/types';
import { isAllowedNavigation } from './window-options';

export function isTrustedSender(frameUrl: string | undefined, appIndexUrl: string): boolean {
  return typeof frameUrl === 'string' && isAllowedNavigation(frameUrl, appIndexUrl);
}

export async function handleCall(
  backend: Backend,
  senderUrl: string | undefined,
  appIndexUrl: string,
  method: unknown,
  params: unknown,
): Promise<Reply<unknown>> {
  if (!isTrustedSender(senderUrl, appIndexUrl))
    return {
      ok: false,
      error: {
        code: 'invalid',
        message: `untrusted sender ${String(senderUrl).slice(0, 200)}: only the app's own page may call the lab`,
      },
    };
  if (typeof method !== 'string' || !isCallName(method))
    return {
      ok: false,
      error: { code: 'invalid', message: `unknown call "${String(method).slice(0, 64)}"`, field: 'method' },
    };
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params)))
    return { ok: false, error: { code: 'invalid', message: `${method}: params must be an object`, field: 'params' } };
  return backend.call(method, params);
}
