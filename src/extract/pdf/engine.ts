/**
 * What the PDF reader (read.ts) needs of a runtime: pdf.js opened its way (pdf-parse on Node, node.ts;
 * the modern build in the page's thread in browsers, browser.ts), and the parts of pdf.js's API it uses.
 */

// The parts of pdf.js's API we use.
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}
export interface PdfViewport {
  convertToViewportPoint(x: number, y: number): number[];
}
export interface PdfPage {
  view: number[];
  getViewport(params: { scale: number }): PdfViewport;
  getTextContent(): Promise<{ items: Array<PdfTextItem | { type: string }> }>;
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  cleanup(): void;
}
export interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
}

/** What pdf.js's `getDocument()` is given. */
export interface PdfParams {
  data: Uint8Array;
  verbosity: number;
  maxImageSize: number;
  password?: string;
}

/** One open document. */
export interface PdfHandle {
  /** The pdf.js document; rejects with pdf.js's errors (`PasswordException`, with its code as `cause`). */
  load(): Promise<PdfDocument>;
  /**
   * The picture of page `n` for OCR; absent where the runtime has no OCR. `rendered`: drawn from the
   * page's own text and lines (no scanned picture on it), so its text stands sharp in cells and columns.
   * `render`: render it whatever pictures it holds (none of them is decoded on its own).
   */
  pageImage?(n: number, render?: boolean): Promise<{ image: Uint8Array; rendered: boolean }>;
  destroy(): Promise<void>;
}

/** How a runtime reads PDFs. */
export interface PdfEngine {
  open(params: PdfParams): Promise<PdfHandle>;
  /** pdf.js's `OPS` (drawing operators). */
  ops(): Promise<Ops>;
}

/** pdf.js's drawing operators this module looks at (`OPS` of pdfjs-dist). */
export type Ops = Record<
  | 'save'
  | 'restore'
  | 'transform'
  | 'paintImageXObject'
  | 'paintInlineImageXObject'
  | 'paintImageMaskXObject'
  | 'paintFormXObjectBegin'
  | 'paintFormXObjectEnd'
  | 'constructPath'
  | 'stroke'
  | 'closeStroke'
  | 'fill'
  | 'eoFill'
  | 'fillStroke'
  | 'eoFillStroke'
  | 'closeFillStroke'
  | 'closeEOFillStroke',
  number
>;
