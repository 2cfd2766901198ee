import { describe, expect, it } from 'vitest';
import { assetCookieName, checkAccess } from '../../../src-main/server/access';

const creds = { token: 'secret-token-123', assetKey: 'asset-key-456' };
const T = creds.token;
const host = '127.0.0.1:4000';
const cookie = (v: string) => `other=1; ${assetCookieName(4000)}=${v}`;

describe('browser-mode access', () => {
  it('lets the printed URL in, for the page and the API', () => {
    expect(checkAccess({ url: `/?token=${T}`, host }, creds, 4000, 'asset')).toEqual({ ok: true, via: 'query' });
    expect(checkAccess({ url: `/api?token=${T}`, host }, creds, 4000, 'api')).toEqual({ ok: true, via: 'query' });
  });

  it("lets the asset cookie fetch the page's files, and nothing else", () => {
    expect(checkAccess({ url: '/assets/app.js', host, cookie: cookie(creds.assetKey) }, creds, 4000, 'asset')).toEqual({
      ok: true,
      via: 'cookie',
    });
    // the cookie reaches every server on 127.0.0.1, whatever its port: it never opens the API
    expect(checkAccess({ url: '/api', host, cookie: cookie(creds.assetKey) }, creds, 4000, 'api')).toMatchObject({
      ok: false,
      status: 401,
    });
    // nor does a cookie carrying the token (what the server used to set)
    expect(checkAccess({ url: '/api', host, cookie: cookie(T) }, creds, 4000, 'api')).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkAccess({ url: '/', host, cookie: cookie(T) }, creds, 4000, 'asset')).toMatchObject({
      ok: false,
      status: 401,
    });
    // another port's cookie is another server's
    expect(
      checkAccess({ url: '/', host, cookie: `${assetCookieName(4001)}=${creds.assetKey}` }, creds, 4000, 'asset'),
    ).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a missing or wrong token with 401', () => {
    expect(checkAccess({ url: '/', host }, creds, 4000, 'asset')).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ url: '/?token=wrong', host }, creds, 4000, 'asset')).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ url: `/?token=${T}x`, host }, creds, 4000, 'asset')).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ url: '/', host, cookie: cookie('nope') }, creds, 4000, 'asset')).toMatchObject({
      ok: false,
      status: 401,
    });
    // a wrong token in the URL is not rescued by a right cookie: the request says which one it means
    expect(
      checkAccess({ url: '/?token=bad', host, cookie: cookie(creds.assetKey) }, creds, 4000, 'asset'),
    ).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses foreign origins and hosts with 403, even with the token', () => {
    for (const reach of ['asset', 'api'] as const) {
      expect(
        checkAccess({ url: `/?token=${T}`, host, origin: 'http://evil.example' }, creds, 4000, reach),
      ).toMatchObject({ ok: false, status: 403 });
      expect(
        checkAccess({ url: `/?token=${T}`, host, origin: 'http://127.0.0.1:4001' }, creds, 4000, reach),
      ).toMatchObject({ ok: false, status: 403 });
      expect(checkAccess({ url: `/?token=${T}`, host, origin: 'null' }, creds, 4000, reach)).toMatchObject({
        ok: false,
        status: 403,
      });
      expect(checkAccess({ url: `/?token=${T}`, host: 'evil.example:4000' }, creds, 4000, reach)).toMatchObject({
        ok: false,
        status: 403,
      });
      expect(checkAccess({ url: `/?token=${T}` }, creds, 4000, reach)).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('accepts its own origin under either loopback name', () => {
    expect(checkAccess({ url: `/?token=${T}`, host, origin: 'http://127.0.0.1:4000' }, creds, 4000, 'api').ok).toBe(
      true,
    );
    expect(
      checkAccess({ url: `/?token=${T}`, host: 'localhost:4000', origin: 'http://localhost:4000' }, creds, 4000, 'api')
        .ok,
    ).toBe(true);
  });
});
