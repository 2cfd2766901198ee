// Electron's main process: a thin shell over the same backend browser mode
// uses. One window over the built renderer, one validated IPC entry point,
// no navigation, no new windows, no permissions; quitting stops every VM.
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBackend } from '../backend/lab-backend';
import { handleCall } from './ipc-guard';
import { isAllowedExternal, isAllowedNavigation, windowOptions } from './window-options';

const backend = createBackend({ mode: 'electron' });
const indexHtml = join(__dirname, '../renderer/index.html');
const appUrl = pathToFileURL(indexHtml).href;
let window: BrowserWindow | undefined;

function createWindow(): void {
  window = new BrowserWindow(windowOptions(join(__dirname, 'preload.cjs')));
  const contents = window.webContents;
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, appUrl)) e.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window?.show());
  void window.loadFile(indexHtml);
}

app.enableSandbox();
app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  ipcMain.handle('lab:call', (event, method: unknown, params: unknown) => handleCall(backend, event.senderFrame?.url, appUrl, method, params));
  backend.subscribe((name, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send('lab:event', { name, payload });
  });
  createWindow();
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
