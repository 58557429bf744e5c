/**
 * The OCR service (Node only): `recognize` reads one picture into laid-out text, turning it upright when
 * it lies sideways (recognize.ts); the tesseract engine behind it runs calls with deadlines (engine.ts);
 * png.ts holds the picture surgery the orientation check needs. Only re-exports.
 */
export {
  closeOcr,
  type OcrAnswer,
  type OcrEngine,
  type OcrRequest,
  TesseractEngine,
} from './engine.js';
export { OCR_LANG_PATHS, type OcrOptions, type OcrOutcome, recognize } from './recognize.js';
