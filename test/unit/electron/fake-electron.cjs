// Runs the bundled Electron main process (dist/electron/main.cjs) in plain
// Node with a recording stand-in for the electron module, then drives it
// like Electron would and prints what it saw as JSON.
const Module = require('node:module');
const { pathToFileURL } = require('node:url');
const path = require('node:path');

const seen = { windows: [], handlers: {}, quit: 0, permissions: [], sandbox: false, loaded: [] };
const appEvents = {};
let ready;
const fake = {
  app: {
    enableSandbox: () => (seen.sandbox = true),
    whenReady: () => new Promise((r) => (ready = r)),
    on: (name, fn) => ((appEvents[name] ??= []).push(fn)),
    quit: () => seen.quit++,
  },
  BrowserWindow: class {
    constructor(opts) {
      seen.windows.push(opts);
      this.webContents = { on() {}, setWindowOpenHandler: (fn) => (seen.openHandler = fn), send() {} };
    }
    once() {}
    loadFile(f) { seen.loaded.push(f); return Promise.resolve(); }
    isDestroyed() { return false; }
  },
  ipcMain: { handle: (channel, fn) => (seen.handlers[channel] = fn) },
  session: { defaultSession: { setPermissionRequestHandler: (fn) => fn(null, 'media', (v) => seen.permissions.push(v)), setPermissionCheckHandler() {} } },
  shell: { openExternal: () => Promise.resolve() },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? fake : load.call(this, request, ...rest);
};

const main = path.resolve(process.argv[2]);
require(main);
(async () => {
  ready();
  await new Promise((r) => setTimeout(r, 50));
  const appUrl = pathToFileURL(path.join(path.dirname(main), '../renderer/index.html')).href;
  const handler = seen.handlers['lab:call'];
  const trusted = await handler({ senderFrame: { url: appUrl } }, 'profiles.list', {});
  const untrusted = await handler({ senderFrame: { url: 'https://evil.example/' } }, 'profiles.list', {});
  const badParams = await handler({ senderFrame: { url: appUrl } }, 'vm.boot', { profile: '../x' });
  let prevented = false;
  for (const fn of appEvents['before-quit'] ?? []) fn({ preventDefault: () => (prevented = true) });
  await new Promise((r) => setTimeout(r, 100));
  const opened = seen.openHandler({ url: 'https://evil.example/' });
  console.log(JSON.stringify({
    sandbox: seen.sandbox,
    window: seen.windows[0],
    loaded: seen.loaded,
    trusted: trusted.ok ? trusted.value.map((p) => p.name) : trusted,
    untrusted,
    badParams,
    permissions: seen.permissions,
    quitPrevented: prevented,
    quit: seen.quit,
    newWindow: opened,
  }));
  process.exit(0);
})();
