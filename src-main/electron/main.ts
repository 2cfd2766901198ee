// Electron's main process: a thin shell over the same backend browser mode
// uses. One window over the built renderer, one validated IPC entry point,
// no navigation, no new windows, no permissions; quitting stops every VM.
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { createBackend } from '../backend/lab-backend';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, serveApp } from './app-protocol';
import { handleCall } from './ipc-guard';
import { isAllowedExternal, isAllowedNavigation, windowOptions } from './window-options';

const backend = createBackend({ mode: 'electron' });
const rendererDir = join(__dirname, '../renderer');
let window: BrowserWindow | undefined;

// The page is app://pmem-lab/index.html, never file://; Electron takes scheme privileges only before ready.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

function createWindow(): void {
  window = new BrowserWindow(windowOptions(join(__dirname, 'preload.cjs')));
  const contents = window.webContents;
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, APP_INDEX_URL)) e.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window?.show());
  void window.loadURL(APP_INDEX_URL);
}

app.enableSandbox();
app
  .whenReady()
  .then(() => {
    protocol.handle(APP_SCHEME, (request) => serveApp(rendererDir, request));
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    ipcMain.handle('lab:call', (event, method: unknown, params: unknown) =>
      handleCall(backend, event.senderFrame?.url, APP_INDEX_URL, method, params),
    );
    backend.subscribe((name, payload) => {
      if (window && !window.isDestroyed()) window.webContents.send('lab:event', { name, payload });
    });
    createWindow();
  })
  // Without a window there is nowhere else to say it; quitting stops any guest already started.
  .catch((e: unknown) => {
    console.error(`pmem-lab: the app could not start: ${e instanceof Error ? e.message : String(e)}`);
    app.quit();
  });

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting) return;
  // Guests are stopped (sync, QMP quit, then kill) before the process goes.
  e.preventDefault();
  quitting = true;
  void backend.stopAll().finally(() => app.quit());
});
app.on('window-all-closed', () => app.quit());
