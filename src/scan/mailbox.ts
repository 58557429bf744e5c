/** A mailbox held open while pool threads read its messages. */
import type { FileHandle } from 'node:fs/promises';
import { fdBudget } from './fdlimit.js';
import { type FsPath, openRegular } from './open.js';

/**
 * A mailbox whose messages pool threads read through one descriptor, held open here (a thread that is
 * terminated holds none): closed once the scan has found all its messages and each one is done.
 */
export class OpenMailbox {
  private users = 1;
  private closed = false;
  private constructor(
    readonly handle: FileHandle,
    private readonly opened: Set<OpenMailbox>,
  ) {}

  /** Opens a mailbox, kept in `opened` until it is closed. */
  static async open(path: FsPath, shown: string, opened: Set<OpenMailbox>): Promise<OpenMailbox> {
    await fdBudget().take(); // waits while the scan holds as many descriptors as the limit allows
    const handle = await openRegular(path, shown).catch((error: unknown) => {
      fdBudget().give();
      throw error;
    });
    const mailbox = new OpenMailbox(handle, opened);
    opened.add(mailbox);
    return mailbox;
  }

  /** One more message in flight; the function returned lets go of it (once). */
  hold(): () => void {
    this.users++;
    let held = true;
    return () => {
      if (held) {
        held = false;
        this.release();
      }
    };
  }

  release(): void {
    if (--this.users === 0) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.opened.delete(this);
    this.handle
      .close()
      .catch(() => undefined)
      .finally(() => fdBudget().give());
  }
}
