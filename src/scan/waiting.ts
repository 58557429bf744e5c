/**
 * Records come out in input order, so one slow document (a long PDF, OCR) holds back every record
 * read after it. While the scan waits on the next record in order for longer than `NOTICE_MS`, it says
 * which document is being read, and for how long, every `NOTICE_MS`: a user sees why output stalls.
 */
import type { ExtractPool } from './pool.js';

/** `RTA_WAIT_NOTICE_MS` changes it (the test suite uses a short one). */
const NOTICE_MS = Number(process.env.RTA_WAIT_NOTICE_MS) > 0 ? Number(process.env.RTA_WAIT_NOTICE_MS) : 5_000;

export type OnWaiting = (document: string, ms: number) => void;

/** `promise`, with `onWaiting` told every `NOTICE_MS` it is still pending which document is being read longest. */
export function noticeWaiting<T>(
  promise: Promise<T>,
  pool: ExtractPool | undefined,
  onWaiting?: OnWaiting,
): Promise<T> {
  if (!pool || !onWaiting) return promise;
  const timer = setInterval(() => {
    const longest = pool.longestReading();
    if (longest) onWaiting(longest.name, longest.ms);
  }, NOTICE_MS);
  timer.unref();
  return promise.finally(() => clearInterval(timer));
}
