// The window's security settings and the navigation rules, kept free of
// Electron at runtime so they are tested in plain Node (the Electron binary
// cannot be downloaded on the build machines).
import type { BrowserWindowConstructorOptions } from 'electron';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'PMEM Lab',
    width: 1600,
    height: 1000,
    show: false,
    backgroundColor: '#15181d',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/**
 * Only the app's own page may be shown: same scheme, host and
 * path as appUrl (app://pmem-lab/index.html), any query or hash.
 */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appUrl);
    return (
      t.protocol === a.protocol &&
      t.host === a.host &&
      t.pathname === a.pathname &&
      t.username === '' &&
      t.password === ''
    );
  } catch {
    return false;
  }
}

const EXTERNAL_HOSTS = new Set(['www.kernel.org', 'docs.kernel.org', 'github.com', 'pmem.io', 'www.qemu.org']);

/** Links that may open in the user's browser: https to a short list of documentation hosts. */
export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === 'https:' &&
      u.username === '' &&
      u.password === '' &&
      u.port === '' &&
      EXTERNAL_HOSTS.has(u.hostname)
    );
  } catch {
    return false;
  }
}
