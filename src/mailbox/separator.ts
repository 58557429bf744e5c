/**
 * An mbox separator line as text: `From ` + sender + a date, which always has a time and then a year
 * (asctime, Thunderbird's `From - …`, Gmail's `… +0000 2026`). A module of its own so that format
 * detection, which runs in browsers too, does not load the Node-only mailbox splitter.
 */
export const SEPARATOR_RE = /^From \S+\s.*\b\d{1,2}:\d{2}(?::\d{2})?\b.*\b\d{4}\s*$/;
