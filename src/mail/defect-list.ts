// The defects one decoder found, capped: a hostile input can have a fault on every line, and
// a record of a million identical complaints helps no one. Past the cap they are counted.
export class DefectList {
  private readonly list: string[] = [];
  private total = 0;
  constructor(private readonly max: number) {}

  add(msg: string): void {
    this.total++;
    if (this.list.length < this.max) this.list.push(msg);
  }

  /** How many defects were found, kept or not. */
  get count(): number {
    return this.total;
  }

  /** The defects kept, and how many more there were. */
  done(): string[] {
    return this.total > this.list.length ? [...this.list, `${this.total - this.list.length} more defects`] : this.list;
  }
}
