// The renderer's window.lab in Electron: the contract's two functions and
// nothing else. The IPC event object never reaches the page.
import { contextBridge, ipcRenderer } from 'electron';
import type { LabApi } from '../../src-shared/api/contract';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on('lab:event', (_event, message: { name: string; payload: unknown }) => {
  for (const l of listeners.get(message.name) ?? []) l(message.payload);
});

const lab: LabApi = {
  call: (method, params) => ipcRenderer.invoke('lab:call', method, params),
  on: (name, listener) => {
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  },
};

contextBridge.exposeInMainWorld('lab', lab);
