/** A counting semaphore: at most `size` holders at once; the rest wait, first come first served. */
export class Semaphore {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }

  /** Lets every waiter through (the owner is closing: they find it closed). */
  release(): void {
    for (const next of this.waiting.splice(0)) next();
  }
}
