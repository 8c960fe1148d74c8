/**
 * A background worker's loop, written once for the job runner and the webhook dispatcher: a turn
 * at once, then one whenever poked or every `pollMs`; a turn that says `again` is followed at
 * once. A failing turn is reported and the loop goes on (the database may be briefly away).
 * `stop()` waits for the turn in progress.
 */
export class PollLoop {
  #stopping = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(
    private readonly turn: () => Promise<'again' | 'wait'>,
    private readonly pollMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  get stopping(): boolean {
    return this.#stopping;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Something was queued: look now rather than at the next poll. */
  poke(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.poke();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        if ((await this.turn()) === 'again') continue;
      } catch (error) {
        this.onError(error as Error);
      }
      if (this.#stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      this.#wake = undefined;
    }
  }
}
