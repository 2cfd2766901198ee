// Runs the bundled Electron main process (dist/electron/main.cjs) in plain
// Node with a recording stand-in for the electron module, then drives it
// like Electron would and prints what it saw as JSON.
const Module = require('node:module');
const path = require('node:path');

const seen = {
  windows: [],
  handlers: {},
  protocols: {},
  privileged: [],
  quit: 0,
  permissions: [],
  sandbox: false,
  loaded: [],
  navigation: [],
};
const appEvents = {};
let ready;
let isReady = false;
const fake = {
  app: {
    enableSandbox: () => (seen.sandbox = true),
    whenReady: () => new Promise((r) => (ready = r)),
    on: (name, fn) => (appEvents[name] ??= []).push(fn),
    quit: () => seen.quit++,
  },
  BrowserWindow: class {
    constructor(opts) {
      seen.windows.push(opts);
      const on = (name, fn) => name === 'will-navigate' && (seen.willNavigate = fn);
      this.webContents = { on, setWindowOpenHandler: (fn) => (seen.openHandler = fn), send() {} };
    }
    once() {}
    loadURL(url) {
      seen.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file) {
      seen.loaded.push(`loadFile ${file}`);
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
  },
  ipcMain: { handle: (channel, fn) => (seen.handlers[channel] = fn) },
  protocol: {
    // Electron throws when schemes are made privileged after ready; so does this stand-in.
    registerSchemesAsPrivileged(schemes) {
      if (isReady) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
      seen.privileged.push(...schemes);
    },
    handle: (scheme, fn) => (seen.protocols[scheme] = fn),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn) => fn(null, 'media', (v) => seen.permissions.push(v)),
      setPermissionCheckHandler() {},
    },
  },
  shell: { openExternal: () => Promise.resolve() },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? fake : load.call(this, request, ...rest);
};

/** What the registered scheme handler answers for `url`: status, the headers that matter, the body. */
async function fetchApp(url) {
  try {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = seen.protocols[scheme];
    if (!handler) return { unhandled: scheme };
    const r = await handler(new Request(url));
    return {
      status: r.status,
      type: r.headers.get('content-type'),
      csp: r.headers.get('content-security-policy'),
      body: await r.text(),
    };
  } catch (e) {
    return { url, error: String(e) };
  }
}

function navigate(url) {
  let prevented = false;
  seen.willNavigate({ preventDefault: () => (prevented = true) }, url);
  return { url, prevented };
}

require(path.resolve(process.argv[2]));
(async () => {
  isReady = true;
  ready();
  await new Promise((r) => setTimeout(r, 50));
  const page = seen.loaded[0];
  const handler = seen.handlers['lab:call'];
  const trusted = await handler({ senderFrame: { url: page } }, 'profiles.list', {});
  const untrusted = await handler({ senderFrame: { url: 'https://evil.example/' } }, 'profiles.list', {});
  const fileSender = await handler(
    { senderFrame: { url: `file://${path.resolve(path.dirname(process.argv[2]), '../renderer/index.html')}` } },
    'profiles.list',
    {},
  );
  const badParams = await handler({ senderFrame: { url: page } }, 'vm.boot', { profile: '../x' });
  const served = {
    index: await fetchApp(page),
    script: await fetchApp('app://pmem-lab/assets/app.js'),
    escapes: await Promise.all(
      [
        'app://pmem-lab/..%2f..%2fpackage.json',
        'app://pmem-lab/assets/..%2f..%2f..%2fqemu-profiles%2fnvdimm-1g-labels.yaml',
        'app://other/index.html',
      ].map(fetchApp),
    ),
  };
  const navigation = [navigate(`${page}#profiles`), navigate('file:///etc/passwd'), navigate('https://evil.example/')];
  let prevented = false;
  for (const fn of appEvents['before-quit'] ?? []) fn({ preventDefault: () => (prevented = true) });
  await new Promise((r) => setTimeout(r, 100));
  const opened = seen.openHandler({ url: 'https://evil.example/' });
  console.log(
    JSON.stringify({
      sandbox: seen.sandbox,
      privileged: seen.privileged,
      window: seen.windows[0],
      loaded: seen.loaded,
      served,
      navigation,
      trusted: trusted.ok ? trusted.value.map((p) => p.name) : trusted,
      untrusted,
      fileSender,
      badParams,
      permissions: seen.permissions,
      quitPrevented: prevented,
      quit: seen.quit,
      newWindow: opened,
    }),
  );
  process.exit(0);
})();
