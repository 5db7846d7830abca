/**
 * Day arithmetic for the generator on day numbers instead of strings: a million cases need
 * several million deadline and working-day computations, which the string functions of
 * shared/utils/working-days would make the slowest part of generation. Built from those same
 * functions (isWorkingDay, addDays), so the deadlines agree with the server's.
 */
import { addDays, isWorkingDay } from '../../shared/utils/working-days'

export class DayTable {
  readonly dates: string[] = []
  readonly midnights: number[] = []
  /** working days in (0, i] */
  private readonly workPrefix: number[] = []

  /** Days `first` … `first + size - 1`. */
  constructor(readonly first: string, size: number) {
    let worked = 0
    for (let i = 0; i < size; i++) {
      const date = i === 0 ? first : addDays(this.dates[i - 1]!, 1)
      if (i > 0 && isWorkingDay(date)) worked++
      this.dates.push(date)
      // Asia/Shanghai midnight is 16:00 UTC the day before (UTC+8 all year).
      this.midnights.push(Date.parse(`${date}T00:00:00+08:00`))
      this.workPrefix.push(worked)
    }
  }

  get size(): number { return this.dates.length }

  date(i: number): string { return this.dates[i]! }

  isWorking(i: number): boolean { return i === 0 ? isWorkingDay(this.dates[0]!) : this.workPrefix[i]! > this.workPrefix[i - 1]! }

  /** The `n`-th working day after day `i` (addWorkingDays on indexes). */
  addWorking(i: number, n: number): number {
    let j = i
    const want = this.workPrefix[i]! + n
    while (this.workPrefix[j]! < want) j++
    if (j >= this.size) throw new RangeError('day table too short')
    return j
  }

  /** Working days in (i, j] (workingDaysBetween on indexes). */
  workingBetween(i: number, j: number): number { return this.workPrefix[j]! - this.workPrefix[i]! }
}
