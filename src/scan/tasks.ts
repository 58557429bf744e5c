/**
 * The pool's bookkeeping (pool.ts): its thread body's file, the slots that keep tasks to the threads,
 * the documents of a task followed across tries, what the supervisor reads of a running task's clock,
 * and the error a document gets when its task was stopped.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorInfo, ExtractOptions, ExtractResult } from '../extract/index.js';
import { Semaphore } from './semaphore.js';
import type { FileSpan } from './span.js';

/** The thread body's file, next to this module in the build. */
export function workerFile(): string {
  const url = new URL('./worker.js', import.meta.url);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(
      `the worker bundle ${path} is missing: build the package (npm run build), or scan with concurrency 0`,
    );
  }
  return path;
}

/** The pool's slots: at most one task a thread, so a task's clock starts when its thread does. */
export class Slots extends Semaphore {}

/** Copies bytes into an ArrayBuffer of their own, so it can be moved to a thread without detaching a shared pool. */
export function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes
    : new Uint8Array(bytes);
}

/** One document of a batch, followed across the tries it takes. */
export interface Doc {
  bytes?: Uint8Array;
  file?: FileSpan;
  options: ExtractOptions;
  name: string;
  /** Its time limit in ms, over all tries. */
  limit: number;
  /** Time it has spent being read in earlier tries. */
  spent: number;
  result?: ExtractResult;
  /** Its bytes were moved to a thread: there is no second try. */
  gone?: boolean;
}

/** Why a task was stopped before all its documents were done. */
export type StopReason =
  | { kind: 'memory' }
  | { kind: 'deadline'; culprits: Doc[] }
  | { kind: 'silent' }
  | { kind: 'closed' };

/** A task on a thread, as the supervisor sees it. */
export interface Running {
  docs: Doc[];
  /** The task's shared clock (see `WorkerTask.clock`). */
  clock: Int32Array;
  /** When the task was handed over (`WorkerTask.base`). */
  base: number;
  /** The longest time limit of the task's documents that are left, for the silence check. */
  longest: number;
  /** Read alone with the pool to itself, after a stop for memory: a stop now blames its document. */
  quarantined: boolean;
  /** Resident memory when the task started. */
  rssAtStart: number;
  stop(reason: StopReason): void;
}

/** The documents of a task being read now, each with the time (epoch ms) it started. */
export function inFlight(task: Running): Map<number, number> {
  const reading = new Map<number, number>();
  for (let i = 0; i < task.docs.length; i++) {
    const start = Atomics.load(task.clock, 2 * i);
    if (start > 0 && Atomics.load(task.clock, 2 * i + 1) === 0) reading.set(i, task.base + start - 1);
  }
  return reading;
}

/** The last sign of life of a task's thread: the latest start or end on its clock, or its hand-over. */
export function lastHeard(task: Running): number {
  let latest = 0;
  for (let i = 0; i < task.clock.length; i++) latest = Math.max(latest, Atomics.load(task.clock, i));
  return task.base + Math.max(0, latest - 1);
}

/** The thread ended on its own: it crashed, ran out of heap, or lost a result. */
export type Died = { kind: 'died'; error: unknown };

export type TaskEnd = { complete: true } | { complete: false; reason: StopReason | Died };

/** The error record of a document its task could not finish, by why the task stopped. */
export function errorInfo(reason: StopReason | Died, doc: Doc): ErrorInfo {
  const name = doc.name;
  if (reason.kind === 'memory') {
    return {
      code: 'OUT_OF_MEMORY',
      message: `${name}: the process went over its memory budget (maxRssMb) while reading it; the thread was terminated`,
    };
  }
  if (reason.kind === 'deadline' || doc.limit - doc.spent <= 0) {
    return {
      code: 'TIMEOUT',
      message: `${name}: stopped after ${doc.limit} ms (timeoutMs); the thread reading it was terminated`,
    };
  }
  if (reason.kind === 'silent') {
    return { code: 'WORKER_FAILED', message: `${name}: the thread given it stopped answering; it was terminated` };
  }
  if (reason.kind === 'closed') return { code: 'WORKER_FAILED', message: `${name}: not read; the scan was stopped` };
  const err = reason.error as { code?: string; message?: string };
  if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      code: 'OUT_OF_MEMORY',
      message: `${name}: reading it took more memory than one worker may use; the thread was terminated`,
    };
  }
  return {
    code: 'WORKER_FAILED',
    message: `${name}: the thread reading it failed (${err?.message ?? String(reason.error)})`,
  };
}
