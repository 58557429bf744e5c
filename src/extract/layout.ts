/**
 * Reading a PDF page (or an OCR'd one) the way a person does: the layout stage lives in `src/layout/`;
 * the extractors import it from here.
 */
export {
  type LayoutOptions,
  layoutPage,
  layoutPageExplained,
  type PageLayout,
  type PositionedItem,
} from '../layout/index.js';
