import { describe, expect, it } from 'vitest';
import { checkAccess, TOKEN_COOKIE } from '../../../src-main/server/access';

const T = 'secret-token-123';
const host = '127.0.0.1:4000';

describe('browser-mode access', () => {
  it('lets the printed URL in and remembers it in the cookie', () => {
    expect(checkAccess({ url: `/?token=${T}`, host }, T, 4000)).toEqual({ ok: true, via: 'query' });
    expect(checkAccess({ url: '/assets/app.js', host, cookie: `other=1; ${TOKEN_COOKIE}=${T}` }, T, 4000)).toEqual({ ok: true, via: 'cookie' });
  });

  it('refuses a missing or wrong token with 401', () => {
    expect(checkAccess({ url: '/', host }, T, 4000)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ url: '/?token=wrong', host }, T, 4000)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ url: `/?token=${T}x`, host }, T, 4000)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ url: '/', host, cookie: `${TOKEN_COOKIE}=nope` }, T, 4000)).toMatchObject({ ok: false, status: 401 });
    // a wrong token in the URL is not rescued by a right cookie: the request says which one it means
    expect(checkAccess({ url: '/?token=bad', host, cookie: `${TOKEN_COOKIE}=${T}` }, T, 4000)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses foreign origins and hosts with 403, even with the token', () => {
    expect(checkAccess({ url: `/?token=${T}`, host, origin: 'http://evil.example' }, T, 4000)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ url: `/?token=${T}`, host, origin: 'http://127.0.0.1:4001' }, T, 4000)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ url: `/?token=${T}`, host, origin: 'null' }, T, 4000)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ url: `/?token=${T}`, host: 'evil.example:4000' }, T, 4000)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ url: `/?token=${T}` }, T, 4000)).toMatchObject({ ok: false, status: 403 });
  });

  it('accepts its own origin under either loopback name', () => {
    expect(checkAccess({ url: `/?token=${T}`, host, origin: 'http://127.0.0.1:4000' }, T, 4000).ok).toBe(true);
    expect(checkAccess({ url: `/?token=${T}`, host: 'localhost:4000', origin: 'http://localhost:4000' }, T, 4000).ok).toBe(true);
  });
});
