/**
 * A result that carries an error, and an error as a result holds it: what the scan's calling thread
 * needs of the extract stage without loading it (the readers, layout and locator load when a document
 * is read there, not before).
 */
import { isExtractionError } from '../errors.js';
import type { DocumentKind, ErrorInfo, ExtractResult, Warning } from './pipeline.js';

export function failed(kind: DocumentKind, error: ErrorInfo, warnings: Warning[] = []): ExtractResult {
  return { kind, accounts: [], contractNumbers: [], warnings, error };
}

export function toErrorInfo(error: unknown, name: string): ErrorInfo {
  if (isExtractionError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'READ_FAILED', message: `${name}: ${message}` };
}
