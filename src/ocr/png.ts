/**
 * PNG surgery for the orientation check: the resolution a picture states (`pHYs`), and a picture turned
 * by quarter turns, drawn with the canvas pdf.js already uses.
 */
import { crc32 } from 'node:zlib';

/** A resolution for images that state none (pages taken out of a PDF, many photos). */
const DEFAULT_DPI = 300;

/**
 * A grey PNG as tesseract wrote it, with a `pHYs` chunk stating a resolution: the one the image had,
 * else 300 dpi. Without one the detector prints a warning for every image.
 */
export function withDpi(bytes: Uint8Array): { png: Buffer; dpi: number } {
  const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dpi = pngDpi(png);
  return dpi === null ? { png: setPngDpi(png, DEFAULT_DPI), dpi: DEFAULT_DPI } : { png, dpi };
}

/**
 * `png` turned clockwise by `degrees`, drawn with the canvas pdf.js already uses. The canvas is only
 * ever given PNGs tesseract wrote: its native decoders crash the process on some inputs (a TIFF, for one).
 */
export async function rotate(png: Buffer, degrees: number): Promise<Buffer> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const picture = await loadImage(png);
  const sideways = degrees % 180 !== 0;
  const canvas = createCanvas(sideways ? picture.height : picture.width, sideways ? picture.width : picture.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(picture, -picture.width / 2, -picture.height / 2);
  return canvas.encode('png');
}

const PNG_SIGNATURE_LENGTH = 8;
const IHDR_END = PNG_SIGNATURE_LENGTH + 4 + 4 + 13 + 4; // length, type, data, CRC
const METRES_PER_INCH = 0.0254;

/** The resolution a PNG's `pHYs` chunk states, in dots per inch, or null when it states none. */
function pngDpi(png: Buffer): number | null {
  const at = png.indexOf('pHYs', PNG_SIGNATURE_LENGTH, 'latin1');
  if (at < 0 || at + 13 > png.length || png[at + 12] !== 1) return null; // unit 1: per metre
  const dpi = Math.round(png.readUInt32BE(at + 4) * METRES_PER_INCH);
  return dpi >= 50 && dpi <= 1200 ? dpi : null;
}

/** `png` with its `pHYs` chunk (replaced or added after IHDR) saying `dpi`. */
function setPngDpi(png: Buffer, dpi: number): Buffer {
  const perMetre = Math.round(dpi / METRES_PER_INCH);
  const chunk = Buffer.alloc(4 + 4 + 9 + 4);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  chunk.writeUInt32BE(perMetre, 8);
  chunk.writeUInt32BE(perMetre, 12);
  chunk[16] = 1;
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  const at = png.indexOf('pHYs', PNG_SIGNATURE_LENGTH, 'latin1');
  if (at >= 0) return Buffer.concat([png.subarray(0, at - 4), chunk, png.subarray(at + 4 + 9 + 4)]);
  return Buffer.concat([png.subarray(0, IHDR_END), chunk, png.subarray(IHDR_END)]);
}
