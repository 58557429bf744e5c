/** A mailbox held open while pool threads read its messages. */
import { type FileHandle, open } from 'node:fs/promises';

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
  static async open(path: string, opened: Set<OpenMailbox>): Promise<OpenMailbox> {
    const mailbox = new OpenMailbox(await open(path, 'r'), opened);
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
    this.handle.close().catch(() => undefined);
  }
}
