/** One file of a scan with a state, as the state sees it: what `units` reads of it and the state keeps. */
import type { Identity, MailboxEnd } from './identity.js';
import type { Entry } from './store.js';

export interface Plan {
  /** The file's key in the state: its name, and whether that name is escaped bytes. */
  key: string;
  identity: Identity;
  /** Its records, all from the state. */
  reuse?: Entry;
  /** A mailbox that only grew: these records from the state, then its messages from `grown.mailbox.end`. */
  grown?: Entry;
  /** Read as a mailbox: kept only once `mailbox` is set. */
  isMailbox?: boolean;
  /** Where the mailbox ended when it was read (set once all its messages were found). */
  mailbox?: MailboxEnd;
}

/** What a scan with a state says on its way: why an old state was not used, and what it took from it. */
export type StateNotice = { kind: 'ignored'; message: string } | { kind: 'done'; stats: StateStats; message: string };

export interface StateStats {
  /** Files whose records all came from the state, and their bytes. */
  filesFromState: number;
  bytesFromState: number;
  /** Mailboxes that only grew: their old messages came from the state, the new ones were read. */
  grown: number;
  grownFromState: number;
  grownRead: number;
  /** Files read whole, and their bytes. */
  filesRead: number;
  bytesRead: number;
}
