/**
 * At most `size` holders at once; the rest wait in arrival order. Bounds what concurrent image decodes may take
 * together (each may hold up to maxPixels × 4 bytes), however many uploads finish at the same moment.
 */
export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Slots need a whole size of at least 1, not ${size}.`);
  }

  get inUse(): number {
    return this.active;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
