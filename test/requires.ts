/**
 * What some tests need beyond Node and `npm ci`: a Redis server, tesseract's language data, the real-world
 * corpus beside the clone, a browser. On a machine without it, such a test is skipped with one line that
 * names what is missing and the command that installs it, so that `npm test` passes on a fresh clone. With
 * CI=true it fails instead, with the same line: CI must prove everything (.ci/run installs it all).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { beforeEach, type TestContext } from 'vitest';
import { OCR_LANG_PATHS } from '../src/ocr/index.js';
import { ROOT } from './helpers.js';

const ci = (process.env.CI ?? '').toLowerCase();
export const IN_CI = ci !== '' && ci !== '0' && ci !== 'false';

export class Requirement {
  private probed: { missing: string | null } | undefined;

  /**
   * @param need what the tests need, as a person names it
   * @param install the command that installs it
   * @param probe says what is missing, or null when it is all there (run once, on first use)
   */
  constructor(
    readonly need: string,
    readonly install: string,
    private readonly probe: () => string | null,
  ) {}

  /** What is missing, or null. */
  get missing(): string | null {
    this.probed ??= { missing: this.probe() };
    return this.probed.missing;
  }

  get available(): boolean {
    return this.missing === null;
  }

  /** The one line a skipped test shows. */
  get note(): string {
    return `needs ${this.need}: ${this.missing}; install: ${this.install}`;
  }

  /** Skips the running test when this is missing (fails it with CI=true). */
  check(ctx: TestContext): void {
    if (this.available) return;
    if (IN_CI) throw new Error(`${this.note} (CI=true: nothing may be skipped)`);
    ctx.skip(this.note);
  }
}

/** Every test of the calling `describe` block (or file) checks these first. */
export function needs(...requirements: Requirement[]): void {
  beforeEach((ctx) => {
    for (const requirement of requirements) requirement.check(ctx);
  });
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function commands(...names: string[]): () => string | null {
  return () => {
    const absent = names.filter((name) => !onPath(name));
    return absent.length === 0 ? null : `${absent.join(' and ')} not on PATH`;
  };
}

/** The folder the library itself would read tesseract data from (see `langPathFor` in src/ocr/recognize.ts). */
export const TESSDATA = [process.env.ROSTELECOM_ACCOUNT_TESSDATA, ...OCR_LANG_PATHS].find(
  (dir): dir is string => !!dir && ['rus', 'eng'].every((lang) => existsSync(join(dir, `${lang}.traineddata`))),
);

/** OCR with tesseract.js and these languages' data (`osd` is the orientation detector). */
function ocr(...langs: string[]): Requirement {
  const packages = langs.map((lang) => `tesseract-ocr-${lang}`).join(' ');
  return new Requirement(
    `OCR (tesseract.js with ${langs.join(', ')} language data)`,
    `apt-get install ${packages}`,
    () => {
      try {
        createRequire(import.meta.url).resolve('tesseract.js');
      } catch {
        return 'tesseract.js is not installed (an optional dependency: run npm install without --omit=optional)';
      }
      if (!TESSDATA)
        return `no rus.traineddata and eng.traineddata in ${OCR_LANG_PATHS[0]} or the other folders the library searches`;
      const absent = langs.filter((lang) => !existsSync(join(TESSDATA, `${lang}.traineddata`)));
      return absent.length === 0 ? null : `no ${absent.map((lang) => `${lang}.traineddata`).join(', ')} in ${TESSDATA}`;
    },
  );
}

export const PEERS = join(ROOT, '..', 'shared', 'peers');
export const SAMPLES = join(ROOT, '..', 'shared', 'samples');

export const requires = {
  redis: new Requirement(
    'a Redis server (redis-server, redis-cli)',
    'apt-get install redis-server',
    commands('redis-server', 'redis-cli'),
  ),
  ocr: ocr('rus', 'eng'),
  /** OCR with these languages' data, e.g. `requires.ocrLanguages('rus', 'eng', 'osd')`. */
  ocrLanguages: (...langs: string[]) => ocr(...langs),
  peers: new Requirement(
    'the real-world corpus ../shared/peers beside the clone',
    "put the project's shared/ folder beside this clone (it holds peers/, see peers/README.md)",
    () => (existsSync(join(PEERS, 'pdfjs', 'bomb_giant.pdf')) ? null : `${PEERS} not found`),
  ),
  samples: new Requirement(
    'the sample files ../shared/samples beside the clone',
    "put the project's shared/ folder beside this clone (it holds samples/, see samples/README.md)",
    () => (existsSync(join(SAMPLES, 'msg', 'test_msgInMsgInMsg.msg')) ? null : `${SAMPLES} not found`),
  ),
  libreoffice: new Requirement(
    'LibreOffice (soffice) to write office files',
    'apt-get install libreoffice-writer libreoffice-calc',
    commands('soffice'),
  ),
  chromium: new Requirement('a Chromium browser', 'apt-get install chromium', () =>
    ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].some(onPath) || process.env.CHROME_PATH
      ? null
      : 'no chromium, chromium-browser or google-chrome on PATH, and no CHROME_PATH',
  ),
};
