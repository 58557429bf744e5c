/**
 * The browser and edge build (`rostelecom-account/browser`, and `rostelecom-account` under the `browser`
 * export condition): validation, the locator and `extract()` for text, HTML, PDF and email bytes, with the
 * same pipeline and records as on Node. Nothing here imports a Node built-in. Node-only, and absent here:
 * files, `scan()`, mailboxes, the queue and OCR; an image or a mailbox given to `extract()` is a `NODE_ONLY`
 * error.
 * Only re-exports: a module with code of its own here would be kept whole by bundlers, whatever the app uses.
 */
export * from './common.js';
export { extract } from './extract/browser.js';
