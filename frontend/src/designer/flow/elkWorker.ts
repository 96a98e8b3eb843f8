// ELK in a web worker: the worker script is a file of our own origin (Vite emits it as an asset),
// so `script-src 'self'` (and worker-src, which falls back to it) allows it, and ELK's 1.6 MB is
// fetched only when the status graph first needs a layout.
import ELK from 'elkjs/lib/elk-api';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';

let instance: InstanceType<typeof ELK> | null = null;

export function getElk(): InstanceType<typeof ELK> {
  instance ??= new ELK({ workerFactory: () => new Worker(workerUrl) });
  return instance;
}
