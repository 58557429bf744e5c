/**
 * Reading a PDF page (or an OCR'd one) the way a person does: the layout stage lives in `src/layout/`;
 * the extractors import it from here.
 */
export { layoutPage, layoutPageExplained, type LayoutOptions, type PositionedItem } from '../layout/index.js';
