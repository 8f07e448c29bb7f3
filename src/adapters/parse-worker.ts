// A worker thread of parse-pool.ts: parses the run of manifest files it was given and posts the plain result back.
import { parentPort, workerData } from 'node:worker_threads';
import { type Kind, parseManifestsPlain, type SourceFile } from '../core/input/manifests.ts';

parentPort!.postMessage(parseManifestsPlain(workerData as { kind: Kind; file: SourceFile }[]));
