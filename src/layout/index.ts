/**
 * The layout stage, one for everything that has positions: pdf.js text items, OCR word boxes and
 * fixed-width plain text (character columns as x). Words → lines → chunks → blocks (cells) → reading
 * order (recursive XY-cut) → tables (header cells over values, row headers beside them) → text in
 * which each label stands beside its value. Pure functions; tested without PDFs.
 */

export type { LayoutOptions, PositionedItem } from './chunks.js';
export { layoutPage, layoutPageExplained, type PageLayout, pairPage } from './page.js';
export { LAYOUT_SETTINGS, type LayoutSettings } from './settings.js';
export { pairPlainText } from './text-pairs.js';
export { layoutPlainText, layoutPlainTextExplained, type PlainLayout } from './text-table.js';
